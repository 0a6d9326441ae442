import { checkServers } from './check-servers.js';
import { toChecked, type CheckedPolicy, type CheckedRule } from './check-policy.js';
import type { PolicyWarning, PolicyWarningsOptions, SessionPolicy } from './policy-types.js';
import { checkOptions } from '../validate.js';

/** Rules, or parts of rules, that can never take effect whatever the host (`at`: where they were written). */
function ruleWarnings(rules: readonly CheckedRule[], at = 'policy.rules'): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  const say = (field: string, message: string) => warnings.push({ field, message: `${field} ${message}` });
  for (const rule of rules) {
    const field = `${at}.${rule.name}`;
    if (rule.name === 'disconnected') {
      // Its sessions are all disconnected: nobody sees a notice there, and none is disconnected twice.
      if (rule.action.do === 'disconnect')
        say(`${field}.action`, 'can never act: a disconnected session is not disconnected again; use signOut');
      else if (rule.action.do === 'warn')
        say(`${field}.action`, 'can never act: nobody sees a warning in a disconnected session');
      else if (rule.action.graceMs !== null)
        say(
          `${field}.action.grace`,
          'never applies: nobody sees a notice in a disconnected session, which is acted on at once',
        );
    }
    if (rule.lockedAfterMs !== null && rule.lockedAfterMs >= rule.afterMs) {
      say(
        `${field}.lockedAfter`,
        'is not shorter than after: locked sessions would be left idle longer than the others',
      );
    }
  }
  return warnings;
}

/** Rules that cannot take effect on some of the hosts. */
function hostWarnings(p: CheckedPolicy, servers: readonly (string | null)[]): PolicyWarning[] {
  const remote = servers.filter((s): s is string => s !== null);
  const idle = p.rules.find((r) => r.name === 'idle');
  if (remote.length === 0 || (idle?.lockedAfterMs ?? null) === null) return [];
  const field = 'policy.rules.idle.lockedAfter';
  return [
    {
      field,
      message:
        `${field} cannot apply on ${remote.join(', ')}: Windows gives lock state only for this machine, so ` +
        'sessions there are judged by after alone',
    },
  ];
}

/**
 * `@ad:` entries cannot judge an Entra ID account (domain `AzureAD`): no domain controller answers for it
 * (DsGetDcNameW: ERROR_NO_SUCH_DOMAIN), so its membership stays unknown and it is never acted on by what hangs on it.
 */
function entraWarnings(p: CheckedPolicy): PolicyWarning[] {
  const ad = [...p.trustGroups, ...p.ruleSets.flatMap((set) => set.users.groups)].find((g) => g.scope === 'domain');
  if (!ad) return [];
  const field = p.trustGroups.includes(ad) ? 'policy.trust.users' : 'policy.groupRules';
  const message =
    `${field} ${JSON.stringify(ad.text)} and any other @ad: entry can never judge an Entra ID account (domain AzureAD): ` +
    'no domain controller answers for it, so its trust stays unknown and it is never acted on (ERR_TRUST_UNKNOWN); ' +
    'name such users (AzureAD\\alice) or use an @local: group';
  return [{ field, message }];
}

/** Every warning of a checked policy for these hosts, in the order of the fields. */
export function warningsFor(p: CheckedPolicy, servers: readonly (string | null)[]): PolicyWarning[] {
  // A groupRules entry's own rules (those not taken over from the top level) are checked where they were written.
  const inSets = p.ruleSets.flatMap((set, i) =>
    ruleWarnings(
      set.rules.filter((r) => !p.rules.includes(r)),
      `policy.groupRules[${i}].rules`,
    ),
  );
  return [...p.warnings, ...entraWarnings(p), ...ruleWarnings(p.rules), ...inSets, ...hostWarnings(p, servers)];
}

/**
 * What in a policy is allowed but most likely not meant: patterns that can never match (`alice@contoso.com`,
 * `contoso.com\alice`), address ranges that trust every IPv4 client or have host bits set, and rules that cannot act
 * (on these hosts: `lockedAfter` on a remote host, where Windows does not give lock state). A pure function; an empty
 * list when there is nothing to say.
 *
 * @throws TypeError or RangeError, naming the field, for a bad policy or options.
 * @example
 * ```ts
 * for (const w of policyWarnings(policy, { servers: ['ts01'] })) console.warn(w.message)
 * ```
 */
export function policyWarnings(policy: SessionPolicy, options?: PolicyWarningsOptions): PolicyWarning[] {
  const o = checkOptions<PolicyWarningsOptions>(options);
  return warningsFor(toChecked(policy), checkServers(o.servers));
}
