import { win32 } from 'node:path';
import type { Addon } from '../native/addon.js';
import { untrustedWriters } from './policy-file-access.js';

/** The code the service runs as SYSTEM: node.exe, the package (its root, the entry script, the addon), and helpers. */
export interface ServiceCode {
  node: string;
  /** The package folder: every folder from here down to `files` may not take entries from anyone else either. */
  packageRoot: string;
  /** The entry script and the addon, inside `packageRoot`. */
  files: string[];
  /** Other files it loads from outside `packageRoot` (node-gyp-build's), with their folder. */
  helpers: string[];
  /**
   * The SID of the administrator who installed the service, trusted as owner and writer of the code as install trusted
   * it (a global npm install is in that administrator's profile, which is theirs); install puts it on the command line.
   */
  installer?: string;
}

/**
 * What to judge, and how: each file and the folders code is looked for in (node.exe's, for the DLLs Windows loads from
 * beside it; the package's, where Node resolves modules and node-gyp-build picks the addon; the helpers') may be
 * changed by nobody but SYSTEM and Administrators (`'write'`); every folder above them, up to the drive's root, only
 * not moved or replaced (`'replace'`): `C:\` lets Authenticated Users add folders, not rename another's.
 */
export function codeChecks(code: ServiceCode): { path: string; rights: 'write' | 'replace' }[] {
  const strict = new Set<string>();
  const folders = (from: string, to: string) => {
    for (let dir = from; ; dir = win32.dirname(dir)) {
      strict.add(dir);
      if (dir === to || win32.dirname(dir) === dir) break;
    }
  };
  const root = win32.resolve(code.packageRoot);
  for (const file of code.files) folders(win32.dirname(win32.resolve(file)), root);
  strict.add(root);
  strict.add(win32.dirname(win32.resolve(code.node)));
  for (const file of code.helpers) strict.add(win32.dirname(win32.resolve(file)));
  const above = new Set<string>();
  for (const dir of strict)
    for (let up = win32.dirname(dir); !strict.has(up); up = win32.dirname(up)) {
      above.add(up);
      if (win32.dirname(up) === up) break;
    }
  const files = [code.node, ...code.files, ...code.helpers].map((f) => win32.resolve(f));
  return [
    ...[...above].sort().map((path) => ({ path, rights: 'replace' as const })),
    ...[...strict].sort().map((path) => ({ path, rights: 'write' as const })),
    ...files.map((path) => ({ path, rights: 'write' as const })),
  ];
}

/**
 * Why a non-administrator could change the code the service runs as SYSTEM (every problem, `; `-separated), or
 * `null`. At install this keeps a service off a package anyone may edit; at each start it catches permissions that
 * changed since (it cannot undo code already replaced: the install-time check is what keeps that out).
 */
export async function untrustedCode(addon: Pick<Addon, 'fileAcl'>, code: ServiceCode): Promise<string | null> {
  const problems: string[] = [];
  for (const { path, rights } of codeChecks(code)) {
    let problem: string | null;
    try {
      problem = untrustedWriters(path, (await addon.fileAcl(path))!, rights, code.installer ? [code.installer] : []);
    } catch (error) {
      problem = `${path} could not be judged: ${(error as Error).message}`;
    }
    if (problem) problems.push(problem);
  }
  return problems.length ? problems.join('; ') : null;
}
