// The Windows structures the addon reads, laid out on every architecture it ships for (issue 20, item 7). The
// expected offsets are computed here from the documented declarations (wtsapi32.h, the WTSINFOW, WTSCLIENTW,
// WTSINFOEX_LEVEL1_W, WTS_CLIENT_ADDRESS, WTS_SESSION_INFOW, WTS_PROCESS_INFO_EXW and WTS_SESSION_INFO_1W pages) and the Windows ABI's sizes and alignments;
// each toolchain compiles a probe that includes native/session_info_ex.h (so its static_asserts and win_api.h's are
// evaluated for that architecture) and reports every field's offset as its compiler sees it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hasCommand, MINGW_CXX, toolGate, ZIG } from './toolchain.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

type FieldType = 'BYTE' | 'WCHAR' | 'USHORT' | 'DWORD' | 'LARGE_INTEGER' | 'POINTER';
type Field = [name: string, type: FieldType, count?: number];

// MAX_PATH 260, CLIENTNAME_LENGTH 20, DOMAIN_LENGTH 17, USERNAME_LENGTH 20, CLIENTADDRESS_LENGTH 30, WINSTATIONNAME_LENGTH 32.
const STRUCTS: Record<string, { cName: string; fields: Field[] }> = {
  WTS_SESSION_INFOW: {
    cName: 'WTS_SESSION_INFOW',
    fields: [
      ['SessionId', 'DWORD'],
      ['pWinStationName', 'POINTER'],
      ['State', 'DWORD'], // an enum: 4 bytes
    ],
  },
  WTSINFOW: {
    cName: 'WTSINFOW',
    fields: [
      ['State', 'DWORD'],
      ['SessionId', 'DWORD'],
      ['IncomingBytes', 'DWORD'],
      ['OutgoingBytes', 'DWORD'],
      ['IncomingFrames', 'DWORD'],
      ['OutgoingFrames', 'DWORD'],
      ['IncomingCompressedBytes', 'DWORD'],
      ['OutgoingCompressedBytes', 'DWORD'],
      ['WinStationName', 'WCHAR', 32],
      ['Domain', 'WCHAR', 17],
      ['UserName', 'WCHAR', 21],
      ['ConnectTime', 'LARGE_INTEGER'],
      ['DisconnectTime', 'LARGE_INTEGER'],
      ['LastInputTime', 'LARGE_INTEGER'],
      ['LogonTime', 'LARGE_INTEGER'],
      ['CurrentTime', 'LARGE_INTEGER'],
    ],
  },
  WTSCLIENTW: {
    cName: 'WTSCLIENTW',
    fields: [
      ['ClientName', 'WCHAR', 21],
      ['Domain', 'WCHAR', 18],
      ['UserName', 'WCHAR', 21],
      ['WorkDirectory', 'WCHAR', 261],
      ['InitialProgram', 'WCHAR', 261],
      ['EncryptionLevel', 'BYTE'],
      ['ClientAddressFamily', 'DWORD'],
      ['ClientAddress', 'USHORT', 31],
      ['HRes', 'USHORT'],
      ['VRes', 'USHORT'],
      ['ColorDepth', 'USHORT'],
      ['ClientDirectory', 'WCHAR', 261],
      ['ClientBuildNumber', 'DWORD'],
      ['ClientHardwareId', 'DWORD'],
      ['ClientProductId', 'USHORT'],
      ['OutBufCountHost', 'USHORT'],
      ['OutBufCountClient', 'USHORT'],
      ['OutBufLength', 'USHORT'],
      ['DeviceId', 'WCHAR', 261],
    ],
  },
  WTS_CLIENT_ADDRESS: {
    cName: 'WTS_CLIENT_ADDRESS',
    fields: [
      ['AddressFamily', 'DWORD'],
      ['Address', 'BYTE', 20],
    ],
  },
  WTSINFOEX_LEVEL1_W: {
    cName: 'wts::SessionInfoExLevel1',
    fields: [
      ['SessionId', 'DWORD'],
      ['SessionState', 'DWORD'],
      ['SessionFlags', 'DWORD'],
      ['WinStationName', 'WCHAR', 33],
      ['UserName', 'WCHAR', 21],
      ['DomainName', 'WCHAR', 18],
      ['LogonTime', 'LARGE_INTEGER'],
      ['ConnectTime', 'LARGE_INTEGER'],
      ['DisconnectTime', 'LARGE_INTEGER'],
      ['LastInputTime', 'LARGE_INTEGER'],
      ['CurrentTime', 'LARGE_INTEGER'],
      ['IncomingBytes', 'DWORD'],
      ['OutgoingBytes', 'DWORD'],
      ['IncomingFrames', 'DWORD'],
      ['OutgoingFrames', 'DWORD'],
      ['IncomingCompressedBytes', 'DWORD'],
      ['OutgoingCompressedBytes', 'DWORD'],
    ],
  },
  WTS_PROCESS_INFO_EXW: {
    cName: 'wts::ProcessInfoExW',
    fields: [
      ['SessionId', 'DWORD'],
      ['ProcessId', 'DWORD'],
      ['pProcessName', 'POINTER'],
      ['pUserSid', 'POINTER'],
      ['NumberOfThreads', 'DWORD'],
      ['HandleCount', 'DWORD'],
      ['PagefileUsage', 'DWORD'],
      ['PeakPagefileUsage', 'DWORD'],
      ['WorkingSetSize', 'DWORD'],
      ['PeakWorkingSetSize', 'DWORD'],
      ['UserTime', 'LARGE_INTEGER'],
      ['KernelTime', 'LARGE_INTEGER'],
    ],
  },
  WTS_SESSION_INFO_1W: {
    cName: 'wts::SessionInfo1W',
    fields: [
      ['ExecEnvId', 'DWORD'],
      ['State', 'DWORD'],
      ['SessionId', 'DWORD'],
      ['pSessionName', 'POINTER'],
      ['pHostName', 'POINTER'],
      ['pUserName', 'POINTER'],
      ['pDomainName', 'POINTER'],
      ['pFarmName', 'POINTER'],
    ],
  },
};

/**
 * C layout: each field at the next multiple of its alignment, the size rounded up to the largest one. LARGE_INTEGER
 * (a union holding a LONGLONG) is 8-aligned in structures on x64, arm64 and ia32 alike (the MSVC ABI, which
 * MinGW-w64 and Zig follow); only pointers differ.
 */
function layout(fields: Field[], pointerSize: 4 | 8): { offsets: number[]; size: number } {
  const sizes: Record<FieldType, number> = {
    BYTE: 1,
    WCHAR: 2,
    USHORT: 2,
    DWORD: 4,
    LARGE_INTEGER: 8,
    POINTER: pointerSize,
  };
  let offset = 0;
  let maxAlign = 1;
  const offsets = fields.map(([, type, count = 1]) => {
    const align = sizes[type];
    maxAlign = Math.max(maxAlign, align);
    offset = Math.ceil(offset / align) * align;
    const at = offset;
    offset += sizes[type] * count;
    return at;
  });
  return { offsets, size: Math.ceil(offset / maxAlign) * maxAlign };
}

/** Expected: per structure, every field's offset then its size; WTSINFOEXW adds Data's offset and its size. */
function expected(pointerSize: 4 | 8): number[] {
  const values = Object.values(STRUCTS).flatMap(({ fields }) => {
    const { offsets, size } = layout(fields, pointerSize);
    return [...offsets, size];
  });
  // WTSINFOEXW: DWORD Level, then the union of the one level, aligned as its LARGE_INTEGERs.
  const level1 = layout(STRUCTS.WTSINFOEX_LEVEL1_W!.fields, pointerSize).size;
  return [...values, 8, 8 + level1];
}

function probeSource(): string {
  const entries = Object.values(STRUCTS).flatMap(({ cName, fields }) => [
    ...fields.map(([name]) => `offsetof(${cName}, ${name})`),
    `sizeof(${cName})`,
  ]);
  entries.push('offsetof(wts::SessionInfoEx, Data)', 'sizeof(wts::SessionInfoEx)');
  return `#include "session_info_ex.h"\n#include "process_info_ex.h"\n#include "session_info_1.h"\nextern "C" const unsigned layoutProbe[] = {0x600DF00D,\n  ${entries.join(',\n  ')},\n  0x600DF00D};\n`;
}

/** Compiles the probe to assembly and reads the array back (a cross-compiled probe cannot run here). */
function probe(compiler: string[], dir: string, name: string): number[] {
  const source = join(dir, 'probe.cc');
  writeFileSync(source, probeSource());
  const out = join(dir, `${name}.s`);
  const run = spawnSync(
    compiler[0]!,
    [...compiler.slice(1), '-std=c++17', '-S', '-O2', `-I${join(root, 'native')}`, '-o', out, source],
    {
      encoding: 'utf8',
    },
  );
  expect(run.status, run.stderr).toBe(0);
  const words = [...readFileSync(out, 'utf8').matchAll(/^\s*\.(?:long|word|4byte)\s+(\S+)/gm)].map((m) => Number(m[1]));
  const start = words.indexOf(0x600df00d);
  const end = words.indexOf(0x600df00d, start + 1);
  expect(start, 'probe array in the assembly').toBeGreaterThanOrEqual(0);
  return words.slice(start + 1, end);
}

const mingw = toolGate('MinGW-w64 (the win32-x64 cross compiler)', hasCommand(MINGW_CXX));
const zig = toolGate(
  'Zig (the win32-arm64 cross compiler)',
  existsSync(ZIG),
  'npm run prebuild:cross -- --arch arm64   (fetches Zig from the npm registry once)',
);

describe('Windows structure layouts on x64, arm64 and ia32', () => {
  if (mingw.failure) it('has MinGW-w64 installed', () => expect.fail(mingw.failure));
  if (zig.failure) it('has Zig installed', () => expect.fail(zig.failure));
  const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-layouts-'));

  it.runIf(mingw.run)('x64 (MinGW-w64 headers): every field where the documented types put it', () => {
    expect(probe([MINGW_CXX], dir, 'x64')).toEqual(expected(8));
  });

  it.runIf(zig.run)('arm64 (Zig 0.11, aarch64-windows-gnu): every field where the documented types put it', () => {
    expect(probe([ZIG, 'c++', '-target', 'aarch64-windows-gnu'], dir, 'arm64')).toEqual(expected(8));
  });

  it.runIf(zig.run)('ia32 (Zig 0.11, x86-windows-gnu): every field where the documented types put it', () => {
    const ia32 = probe([ZIG, 'c++', '-target', 'x86-windows-gnu'], dir, 'ia32');
    expect(ia32).toEqual(expected(4));
    // Only the pointer-holding structures differ from x64: WTS_SESSION_INFOW, WTS_PROCESS_INFO_EXW from its
    // second pointer on (pUserSid at 12, the six DWORDs from 16, UserTime at 40, KernelTime at 48, 56 in all), and
    // WTS_SESSION_INFO_1W's five pointers (12 to 28 after its three DWORDs, 32 in all, where x64 has 16 to 48 and 56).
    expect(ia32.filter((v, i) => v !== expected(8)[i])).toEqual([
      4, 8, 12, 12, 16, 20, 24, 28, 32, 36, 40, 48, 56, 12, 16, 20, 24, 28, 32,
    ]);
  });

  it.runIf(zig.run)('refuses to build for an architecture whose layouts it has not checked (32-bit Arm)', () => {
    const source = join(dir, 'arm.cc');
    writeFileSync(source, '#include "session_info_ex.h"\n');
    const run = spawnSync(
      ZIG,
      [
        'c++',
        '-target',
        'arm-windows-gnu',
        '-std=c++17',
        '-S',
        `-I${join(root, 'native')}`,
        '-o',
        join(dir, 'arm.s'),
        source,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/no checked struct layouts for this architecture/);
  });
});
