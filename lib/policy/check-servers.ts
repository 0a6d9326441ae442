import { checkServer } from '../validate.js';

/** `options.servers`: a non-empty list of distinct hosts, `null` for this machine; `[null]` when omitted. */
export function checkServers(value: unknown): (string | null)[] {
  if (value === undefined) return [null];
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError('options.servers must be a non-empty array of host names (null for this machine)');
  }
  const hosts = value.map((server) => checkServer(server));
  // The same host twice would be acted on twice; host names are not case-sensitive.
  const seen = new Set(hosts.map((h) => h?.toLowerCase() ?? null));
  if (seen.size !== hosts.length) throw new RangeError('options.servers names a host twice');
  return hosts;
}
