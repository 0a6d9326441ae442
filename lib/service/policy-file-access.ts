import type { RawFileAcl } from '../native/addon.js';

/**
 * What install gives the policy copy, the audit file and their folder: owned by Administrators, a protected DACL (the
 * folder's inheritable entries no longer apply) with full access for SYSTEM and Administrators, read for Users.
 */
export const GUARD_FILE_SDDL = 'O:BAD:PAI(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;BU)';

/** SYSTEM, Administrators and TrustedInstaller: who may change what the guard does. */
const TRUSTED = new Set(['S-1-5-18', 'S-1-5-32-544', 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464']);

/**
 * The rights that change a file, or who may change it (winnt.h): FILE_WRITE_DATA, FILE_APPEND_DATA, FILE_WRITE_EA,
 * FILE_DELETE_CHILD, DELETE, WRITE_DAC, WRITE_OWNER, GENERIC_ALL and GENERIC_WRITE.
 */
const WRITE_RIGHTS = 0x2 | 0x4 | 0x10 | 0x40 | 0x10000 | 0x40000 | 0x80000 | 0x10000000 | 0x40000000;
/** INHERIT_ONLY_ACE: an entry for the folder's children, not for the object itself. */
const INHERIT_ONLY = 0x8;

/**
 * Why a file a non-administrator can change may not steer the guard, or `null` when only SYSTEM, Administrators and
 * the account the guard runs as (`acl.self`) can. Deny entries are not weighed: they only ever narrow, so ignoring
 * them can refuse too much, never too little.
 */
export function untrustedWriters(path: string, acl: RawFileAcl): string | null {
  const trusted = (sid: string) => TRUSTED.has(sid) || sid === acl.self;
  if (acl.dacl === null) return `${path} has no DACL: everyone may change it`;
  // An owner may always rewrite the DACL (WRITE_DAC is implied).
  if (!trusted(acl.owner))
    return `${path} is owned by ${acl.owner || 'nobody known'}, who may change its permissions; its owner must be Administrators or SYSTEM`;
  const writers = acl.dacl
    .filter((ace) => ace.allow && (ace.flags & INHERIT_ONLY) === 0 && (ace.mask & WRITE_RIGHTS) !== 0)
    .map((ace) => ace.sid)
    .filter((sid) => !trusted(sid));
  if (writers.length === 0) return null;
  return `${path} may be changed by ${[...new Set(writers)].join(', ')}; only Administrators and SYSTEM may have write access`;
}
