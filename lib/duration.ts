const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Milliseconds from a number of ms or a text like `'90s'`, `'45m'`, `'2h'`, `'1d'`, `'1h30m'` (units ms, s, m, h,
 * d). Anything else is a TypeError (wrong type) or RangeError (unreadable or negative).
 */
export function parseDuration(value: unknown, name: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`${name} must be a finite number of ms >= 0, got ${value}`);
    return value;
  }
  if (typeof value !== 'string')
    throw new TypeError(`${name} must be a number of ms or a text like '2h', got ${typeof value}`);
  const text = value.toLowerCase();
  // White space may sit between a number and its unit and between parts ('1 h 30 m'), never inside a number.
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)];
  const bare = (s: string) => s.replace(/\s+/g, '');
  if (parts.length === 0 || parts.map((p) => bare(p[0])).join('') !== bare(text)) {
    throw new RangeError(`${name} must look like '90s', '45m', '2h', '1d' or '1h30m', got ${JSON.stringify(value)}`);
  }
  return parts.reduce((ms, [, amount, unit]) => ms + Number(amount) * UNITS[unit!]!, 0);
}

/** Short text for a duration, as `query user` prints idle time: '5m', '2h 3m', '3d 4h'; '.' under a minute. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '-';
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return '.';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days) return `${days}d ${hours}h`;
  if (hours) return `${hours}h ${rest}m`;
  return `${rest}m`;
}
