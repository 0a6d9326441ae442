import { printable } from './printable.js';

/** Left-aligned columns separated by two spaces, as `query user` prints them; every cell {@link printable}. */
export function table(header: readonly string[], cellRows: readonly (readonly string[])[]): string {
  const rows = cellRows.map((r) => r.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

/** A Date as 'YYYY-MM-DD HH:MM' in local time (like quser's LOGON TIME, without its locale), '-' for none. */
export function shortTime(date: Date | null): string {
  if (!date) return '-';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * A moment as a streamed line shows it: 'YYYY-MM-DD HH:MM:SS' in local time, like `list`'s times (with seconds), or
 * with `utc` the ISO text in UTC ('2031-01-02T09:30:00.000Z').
 */
export function eventTime(date: Date, utc: boolean): string {
  if (utc) return date.toISOString();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${shortTime(date)}:${pad(date.getSeconds())}`;
}

/** JSON for scripts: two-space indent, Dates as ISO text, errors as { name, code, message }. */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) =>
      v instanceof Error ? { name: v.name, code: (v as { code?: unknown }).code, message: v.message } : v,
    2,
  );
}
