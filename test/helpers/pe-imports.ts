// Reads what a Windows DLL (PE32+) needs from other modules, for the cross-build tests: objdump knows x64 only, and
// the arm64 build must be checked the same way. Written from the PE format's own layout (Microsoft's "PE Format"
// page): the DOS header points at the PE header, whose data directories 1 and 13 list the imports and delay-loaded
// imports as descriptors that name each module.
import { readFileSync } from 'node:fs';

/** IMAGE_FILE_MACHINE_* values of the PE header. */
export const MACHINE = { x64: 0x8664, arm64: 0xaa64 } as const;

export interface PeImports {
  machine: number;
  /** Modules the loader resolves when the DLL loads (import directory). */
  imports: string[];
  /** Modules resolved on first use (delay-load directory). */
  delayImports: string[];
  /** Names the DLL exports. */
  exports: string[];
}

export function readPeImports(path: string): PeImports {
  const file = readFileSync(path);
  const pe = file.readUInt32LE(0x3c);
  if (file.toString('latin1', pe, pe + 4) !== 'PE\0\0') throw new Error(`${path} is not a PE file`);
  const machine = file.readUInt16LE(pe + 4);
  const sectionCount = file.readUInt16LE(pe + 6);
  const optionalSize = file.readUInt16LE(pe + 20);
  const optional = pe + 24;
  if (file.readUInt16LE(optional) !== 0x20b) throw new Error(`${path} is not PE32+`);
  const directory = (index: number) => file.readUInt32LE(optional + 112 + index * 8);
  const sections = Array.from({ length: sectionCount }, (_, i) => {
    const at = optional + optionalSize + i * 40;
    return { rva: file.readUInt32LE(at + 12), size: file.readUInt32LE(at + 8), raw: file.readUInt32LE(at + 20) };
  });
  const offset = (rva: number) => {
    const section = sections.find((s) => rva >= s.rva && rva < s.rva + s.size);
    if (!section) throw new Error(`RVA ${rva.toString(16)} is in no section`);
    return rva - section.rva + section.raw;
  };
  const text = (rva: number) => {
    const start = offset(rva);
    return file.toString('latin1', start, file.indexOf(0, start));
  };
  // IMAGE_IMPORT_DESCRIPTOR is 20 bytes with the name's RVA at 12; the delay-load descriptor is 32 bytes with it at
  // 4. A descriptor of zeros ends each table.
  const names = (tableRva: number, size: number, nameAt: number) => {
    const found: string[] = [];
    if (tableRva === 0) return found;
    for (let at = offset(tableRva); file.readUInt32LE(at + nameAt) !== 0; at += size) {
      found.push(text(file.readUInt32LE(at + nameAt)));
    }
    return found;
  };
  const exportRva = directory(0);
  const exports: string[] = [];
  if (exportRva !== 0) {
    const at = offset(exportRva);
    const count = file.readUInt32LE(at + 24);
    const namesAt = offset(file.readUInt32LE(at + 32));
    for (let i = 0; i < count; i++) exports.push(text(file.readUInt32LE(namesAt + i * 4)));
  }
  return { machine, imports: names(directory(1), 20, 12), delayImports: names(directory(13), 32, 4), exports };
}
