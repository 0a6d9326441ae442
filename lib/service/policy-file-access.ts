import { win32 } from 'node:path';
import type { Addon, RawFileAcl } from '../native/addon.js';
import { toWtsError } from '../native/native-backend.js';

/**
 * What install gives the policy copy, the audit file and their folders: owned by Administrators, a protected DACL (the
 * folder's inheritable entries no longer apply) with full access for SYSTEM and Administrators, and nothing for
 * anyone else: a user who may open a file at all may open it with no sharing and hold the guard up.
 */
export const GUARD_FILE_SDDL = 'O:BAD:PAI(A;;FA;;;SY)(A;;FA;;;BA)';

/** SYSTEM, Administrators and TrustedInstaller: who may change what the guard does. */
const TRUSTED = new Set(['S-1-5-18', 'S-1-5-32-544', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464']);

/**
 * The rights that change a file or what a folder holds, or who may change it (winnt.h): FILE_WRITE_DATA
 * (FILE_ADD_FILE), FILE_APPEND_DATA (FILE_ADD_SUBDIRECTORY), FILE_WRITE_EA, FILE_DELETE_CHILD, DELETE, WRITE_DAC,
 * WRITE_OWNER, GENERIC_ALL and GENERIC_WRITE.
 */
const WRITE_RIGHTS = 0x2 | 0x4 | 0x10 | 0x40 | 0x10000 | 0x40000 | 0x80000 | 0x10000000 | 0x40000000;
/**
 * The rights on a folder above the guard's that let someone move, delete or replace what is in it: FILE_DELETE_CHILD,
 * DELETE, WRITE_DAC, WRITE_OWNER and GENERIC_ALL. Adding entries (`C:\` lets Authenticated Users) does not.
 */
const REPLACE_RIGHTS = 0x40 | 0x10000 | 0x40000 | 0x80000 | 0x10000000;
/** INHERIT_ONLY_ACE: an entry for the folder's children, not for the object itself. */
const INHERIT_ONLY = 0x8;
/** FILE_ATTRIBUTE_REPARSE_POINT: a junction, symbolic link or other reparse point. */
const REPARSE_POINT = 0x400;
/** ACCESS_ALLOWED_ACE_TYPE and ACCESS_DENIED_ACE_TYPE: the only ACEs whose mask and SID are read. */
const ALLOWED = 0;
const DENIED = 1;

/** Why `path` is not the object it names (a junction or link), or whose owner is not to be trusted; else `null`. */
export function untrustedOwner(path: string, acl: RawFileAcl): string | null {
  if ((acl.attributes & REPARSE_POINT) !== 0)
    return `${path} is a junction, symbolic link or other reparse point: it may lead anywhere; remove it, or use the folder it leads to`;
  if (!TRUSTED.has(acl.owner) && acl.owner !== acl.self)
    return `${path} is owned by ${acl.owner || 'nobody known'}, who may change its permissions; its owner must be Administrators or SYSTEM`;
  return null;
}

/**
 * Why a file a non-administrator can change may not steer the guard, or `null` when only SYSTEM, Administrators and
 * the account the guard runs as (`acl.self`) can. `rights` `'replace'` judges a folder above the guard's own, where
 * anyone may add entries but none may move or replace them. Deny entries are not weighed (they only ever narrow, so
 * ignoring them can refuse too much, never too little); an ACE of any other type than allow or deny (object,
 * callback, conditional) cannot be weighed here and is refused. `alsoTrusted`: further SIDs trusted as owner and
 * writer (the administrator who installed the service, for its code).
 */
export function untrustedWriters(
  path: string,
  acl: RawFileAcl,
  rights: 'write' | 'replace' = 'write',
  alsoTrusted: readonly string[] = [],
): string | null {
  const trusted = (sid: string) => TRUSTED.has(sid) || sid === acl.self || alsoTrusted.includes(sid);
  if (acl.dacl === null) return `${path} has no DACL: everyone may change it`;
  const owner = untrustedOwner(path, alsoTrusted.includes(acl.owner) ? { ...acl, owner: acl.self } : acl);
  if (owner) return owner;
  const odd = acl.dacl.find((ace) => ace.type !== ALLOWED && ace.type !== DENIED);
  if (odd)
    return `${path} has an access entry of type ${odd.type}, which cannot be judged; only allow and deny entries may be in its DACL`;
  const mask = rights === 'write' ? WRITE_RIGHTS : REPLACE_RIGHTS;
  const writers = acl.dacl
    .filter((ace) => ace.allow && (ace.flags & INHERIT_ONLY) === 0 && (ace.mask & mask) !== 0)
    .map((ace) => ace.sid)
    .filter((sid) => !trusted(sid));
  if (writers.length === 0) return null;
  const what = rights === 'write' ? 'changed' : 'moved or replaced';
  return `${path} may be ${what} by ${[...new Set(writers)].join(', ')}; only Administrators and SYSTEM may have write access`;
}

/**
 * Why someone else could move, replace or (`rights` `'write'`) add to `folder`, or move or replace a folder above it up
 * to the drive's root; `null` when no one can. Whoever can replace the folder of the audit file can make its records
 * fail, and a guard that cannot audit does not act.
 */
export async function untrustedFolders(
  addon: Pick<Addon, 'fileAcl'>,
  folder: string,
  rights: 'write' | 'replace',
): Promise<string | null> {
  for (let dir = folder; ; rights = 'replace') {
    const problem = untrustedWriters(dir, (await addon.fileAcl(dir))!, rights);
    if (problem) return problem;
    if (win32.dirname(dir) === dir) return null;
    dir = win32.dirname(dir);
  }
}

/** ERROR_SHARING_VIOLATION: someone has the file open without sharing it. */
const ERROR_SHARING_VIOLATION = 32;

/**
 * Reads a file that steers the guard, judged first: the file and the folder it is in may be changed by SYSTEM and
 * Administrators only, and the folders above may not be moved or replaced by anyone else. The owner, DACL and bytes come from one handle (so the file judged is the file read). A
 * sharing violation is tried again after 0.1 s, 0.2 s, 0.4 s ... for up to about 6 s: only an administrator can hold
 * the file open, but an editor may. Rejects with why.
 */
export async function readGuardedFile(
  addon: Pick<Addon, 'fileAcl'>,
  path: string,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<Buffer> {
  // Its folder may take entries from no one else; the folders above it may not be moved or replaced by anyone else.
  const problem = await untrustedFolders(addon, win32.dirname(path), 'write');
  if (problem) throw new Error(problem);
  for (let delay = 100; ; delay *= 2) {
    try {
      const acl = (await addon.fileAcl(path, null, true))!;
      const problem = untrustedWriters(path, acl);
      if (problem) throw new Error(problem);
      return acl.data!;
    } catch (error) {
      if ((error as { errno?: number }).errno !== ERROR_SHARING_VIOLATION || delay > 3200)
        throw toWtsError(error, null);
      await sleep(delay);
    }
  }
}
