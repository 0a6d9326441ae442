import type { PolicyWarning } from './policy-types.js';

/**
 * A Windows group named in a policy: `@ad:CONTOSO\RDS-Admins` (a global group of the user's own domain) or
 * `@local:Administrators` (a local group of the session's host, direct or through a domain group).
 */
export interface GroupRef {
  /** The entry as written, for messages and audit records. */
  text: string;
  scope: 'local' | 'domain';
  /** The group's domain in upper case; `null` for a local group. */
  domain: string | null;
  /** The group's name in upper case. */
  name: string;
}

// Characters a group name cannot hold (Microsoft's "Naming conventions in Active Directory": " / \ [ ] : ; | = , + * ? < >).
const FORBIDDEN = /["/\\[\]:;|=,+*?<>]/u;

/**
 * Windows compares account and group names without regard to case by upper-casing each UTF-16 unit to one unit
 * (RtlUpcaseUnicodeString; CharUpper leaves ß as it is, Raymond Chen's "How can CharUpper and CharLower guarantee...").
 * So the key upper-cases a unit only to a single unit that lower-cases back to it, without a locale: ß (→ SS), ı and
 * ſ (→ I, S, which lower-case to i, s) stay as they are, so `RDS-Admıns` is not `RDS-Admins`.
 */
export function accountKey(name: string): string {
  let key = '';
  for (let i = 0; i < name.length; i++) {
    const unit = name.charAt(i);
    const upper = unit.toUpperCase();
    key += upper.length === 1 && upper.toLowerCase() === unit ? upper : unit;
  }
  return key;
}

/** Whether a trust or rule entry names a Windows group (`@ad:` or `@local:`) rather than a group of the policy. */
export const isGroupEntry = (entry: string): boolean => /^@[a-z]+:/iu.test(entry);

/** Checks `@ad:DOMAIN\Group` or `@local:Group`; a RangeError naming the field and the fix otherwise. */
export function groupRef(text: string, field: string): GroupRef {
  const colon = text.indexOf(':');
  const kind = text.slice(1, colon);
  const body = text.slice(colon + 1).trim();
  const bad = (why: string) => new RangeError(`${field} ${JSON.stringify(text)}: ${why}`);
  if (kind !== 'ad' && kind !== 'local') {
    throw bad(`unknown kind of group "@${kind}:"; write @ad:DOMAIN\\\\Group or @local:Group (lower case)`);
  }
  const slash = body.indexOf('\\');
  if (kind === 'local') {
    if (slash >= 0) throw bad('a local group has no domain; write @local:Administrators, not @local:BUILTIN\\\\...');
    // A SID (S-1-5-32-544) names a group whatever the host's language; anything else that starts like one is a typo.
    if (/^S-1-/iu.test(body) && !/^S-1-\d+(-\d+)+$/iu.test(body)) throw bad('is not a SID such as S-1-5-32-544');
    if (body === '' || FORBIDDEN.test(body))
      throw bad('a group name is not empty and holds none of " / \\ [ ] : ; | = , + * ? < >');
    return { text, scope: 'local', domain: null, name: accountKey(body) };
  }
  if (slash <= 0) throw bad('a domain group names its domain: @ad:CONTOSO\\\\RDS-Admins (in JSON, two backslashes)');
  const domain = body.slice(0, slash);
  const name = body.slice(slash + 1);
  if (name === '' || FORBIDDEN.test(name) || FORBIDDEN.test(domain)) {
    throw bad('a group is matched whole (no wildcards): a name holds none of " / \\ [ ] : ; | = , + * ? < >');
  }
  return { text, scope: 'domain', domain: accountKey(domain), name: accountKey(name) };
}

// Groups every signed-in user is in: trusting one trusts everybody.
const EVERYONE_LOCAL = new Set(['USERS', 'EVERYONE', 'AUTHENTICATED USERS', 'INTERACTIVE', 'REMOTE INTERACTIVE LOGON']);
const EVERYONE_DOMAIN = new Set(['DOMAIN USERS', 'DOMAIN COMPUTERS']);

// Built-in local groups, whose names Windows translates (German: Administratoren, Remotedesktopbenutzer), and their
// SIDs, which it does not (Microsoft's well-known SIDs: S-1-5-32-544 Administrators ... 555 Remote Desktop Users).
const BUILT_IN = new Map([
  ['ADMINISTRATORS', 'S-1-5-32-544'],
  ['GUESTS', 'S-1-5-32-546'],
  ['POWER USERS', 'S-1-5-32-547'],
  ['BACKUP OPERATORS', 'S-1-5-32-551'],
  ['REMOTE DESKTOP USERS', 'S-1-5-32-555'],
]);

/** Warnings for a group entry that is valid but trusts everyone, or can never match. */
export function groupWarnings(g: GroupRef, field: string, inTrust = true): PolicyWarning[] {
  const say = (message: string) => [{ field, message: `${field} ${JSON.stringify(g.text)} ${message}` }];
  if (g.scope === 'local' && EVERYONE_LOCAL.has(g.name))
    return say(`holds every user who can sign in: ${inTrust ? 'it trusts everyone' : 'its rules apply to everyone'}`);
  if (g.scope === 'domain' && EVERYONE_DOMAIN.has(g.name))
    return say(
      `holds every account of the domain: ${inTrust ? 'it trusts all of them' : 'its rules apply to all of them'}`,
    );
  const sid = g.scope === 'local' ? BUILT_IN.get(g.name) : undefined;
  if (sid) {
    return say(
      'is a built-in group, whose name Windows translates: on a host installed in another language (German: ' +
        `Administratoren) it matches nobody; its SID is the same everywhere: write "@local:${sid}"`,
    );
  }
  if (g.domain?.includes('.')) {
    return say('has a dotted (DNS) domain, which never matches: Windows reports the NetBIOS domain (e.g. CONTOSO)');
  }
  return [];
}

/** What a session's user is known to belong to; `null` where it could not be read (see {@link UnknownMembership}). */
export interface Membership {
  /** Local groups of the session's host, by name (upper case). */
  local: ReadonlySet<string> | null;
  /** The same groups by SID (`S-1-5-32-544`), where Windows told it; `null` exactly when `local` is. */
  localSids: ReadonlySet<string> | null;
  /** Domain groups, as `DOMAIN\GROUP` (upper case). */
  domain: ReadonlySet<string> | null;
  /** Why a part is `null`: the error of the lookup that failed. */
  error: Error | null;
}

/** Whether the user is in `g`: `true`, `false`, or `null` when that part of their membership is unknown. */
export function inGroup(m: Membership | undefined, g: GroupRef): boolean | null {
  const set = g.scope === 'domain' ? m?.domain : g.name.startsWith('S-1-') ? m?.localSids : m?.local;
  if (!set) return null;
  return set.has(g.scope === 'local' ? g.name : `${g.domain}\\${g.name}`);
}

/** Whether the user is in any of these groups: `true` as soon as one is known to hold them; `null` if unsure. */
export function inAnyGroup(m: Membership | undefined, groups: readonly GroupRef[]): boolean | null {
  let unsure = false;
  for (const g of groups) {
    const member = inGroup(m, g);
    if (member === true) return true;
    if (member === null) unsure = true;
  }
  return unsure ? null : false;
}
