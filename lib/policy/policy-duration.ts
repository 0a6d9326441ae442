import { parseDuration } from '../duration.js';

/**
 * A duration written in a policy: text with a unit (`'90s'`, `'2h'`, `'1h30m'`), more than zero. A bare number is
 * refused, as `"after": 120` would be read as 120 ms where its writer most likely meant seconds or minutes, and zero
 * would make a rule act on everyone at once.
 */
export function policyDuration(value: unknown, name: string): number {
  if (typeof value === 'number') {
    throw new TypeError(
      `${name} must be a text with a unit, such as '2m' or '90s': a bare number would be read as milliseconds, got ${value}`,
    );
  }
  const ms = parseDuration(value, name);
  if (ms <= 0) throw new RangeError(`${name} must be more than zero, got ${JSON.stringify(value)}`);
  return ms;
}

const SPOKEN: readonly [number, string][] = [
  [86_400_000, 'd'],
  [3_600_000, 'h'],
  [60_000, 'min'],
  [1000, 's'],
];

/**
 * A duration as a user reads it in a notice or a reason: its two largest units, rounded down (`'30 s'`, `'2 min'`,
 * `'1 min 30 s'`, `'2 h 5 min'`, `'1 d 4 h'`); under a second in ms. Never `'.'`, which `query user` prints for
 * "under a minute" and which means nothing in a sentence.
 */
export function spokenDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.floor(ms))} ms`;
  const parts: string[] = [];
  let rest = Math.floor(ms);
  for (const [size, unit] of SPOKEN) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || parts.length > 0) parts.push(`${count} ${unit}`);
    if (parts.length === 2) break;
  }
  // '2 h 0 min' reads worse than '2 h'.
  return parts.filter((p, i) => i === 0 || !p.startsWith('0 ')).join(' ');
}
