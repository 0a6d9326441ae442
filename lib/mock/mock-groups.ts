// Group memberships as Windows gives them to NetUserGetLocalGroups and NetUserGetGroups (see MockGroupSeed).
import { WtsError } from '../errors.js';
import { hostKey } from './hosts.js';
import type { MockGroupSeed } from './mock-types.js';

const NERR_USER_NOT_FOUND = 2221;
const ERROR_NO_SUCH_DOMAIN = 1355;

const upper = (text: string) => text.toUpperCase();
const domainOf = (account: string) => upper(account.slice(0, Math.max(0, account.indexOf('\\'))));

/** Checks group seeds where they are written (a scenario file, a test), naming the one at fault. */
export function checkGroupSeeds(seeds: unknown): void {
  if (seeds === undefined) return;
  if (!Array.isArray(seeds)) throw new TypeError('mock groups must be an array');
  seeds.forEach((seed: Partial<Record<keyof MockGroupSeed, unknown>>, i) => {
    const names = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((n) => typeof n === 'string'));
    if (typeof seed.user !== 'string' || !seed.user.includes('\\'))
      throw new TypeError(`mock groups[${i}].user must be DOMAIN\\user`);
    if (!names(seed.local) || !names(seed.domain))
      throw new TypeError(`mock groups[${i}]: local and domain must be arrays of group names`);
  });
}

/**
 * The groups of `domain\userName`: local groups of `server`, or global groups of its domain (wherever asked from,
 * as a domain controller answers); none for a local account of the host (`hostName`, its NetBIOS name, if known).
 * Rejects as Windows does for an unknown account or domain.
 */
export function groupsOf(
  seeds: readonly MockGroupSeed[],
  userName: string,
  domain: string,
  scope: 'local' | 'domain',
  server: string | null,
  hostName: string | null,
): string[] {
  const account = upper(`${domain}\\${userName}`);
  if (scope === 'local') {
    const seed = seeds.find(
      (g) => g.local && upper(g.user) === account && hostKey(g.server ?? null) === hostKey(server),
    );
    if (!seed) throw new WtsError({ errno: NERR_USER_NOT_FOUND, syscall: 'NetUserGetLocalGroups', server });
    return [...seed.local!];
  }
  const ofDomain = seeds.filter((g) => g.domain && domainOf(g.user) === upper(domain));
  // No such domain, and it is the host's own name: a local account of the host, which is in no domain group.
  if (ofDomain.length === 0 && hostName !== null && upper(hostName) === upper(domain)) return [];
  if (ofDomain.length === 0) throw new WtsError({ errno: ERROR_NO_SUCH_DOMAIN, syscall: 'DsGetDcNameW', server });
  const seed = ofDomain.find((g) => upper(g.user) === account);
  if (!seed) throw new WtsError({ errno: NERR_USER_NOT_FOUND, syscall: 'NetUserGetGroups', server });
  return seed.domain!.map((g) => `${domain}\\${g}`);
}
