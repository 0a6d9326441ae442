const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** One window: on these days (0 Sunday), from `start` to `end` minutes after midnight; an end before its start is the next day's. */
interface Span {
  days: ReadonlySet<number>;
  start: number;
  end: number;
}

/** A checked `allowed` value: its text, for reasons and audit records, and its spans. */
export interface TimeWindow {
  text: string;
  spans: Span[];
}

function dayIndex(name: string, text: string, field: string): number {
  const i = DAYS.indexOf(name.toLowerCase() as (typeof DAYS)[number]);
  if (i < 0)
    throw new RangeError(
      `${field}: unknown day ${JSON.stringify(name)} in ${JSON.stringify(text)}; days are ${DAY_NAMES.join(', ')}`,
    );
  return i;
}

function days(part: string, text: string, field: string): Set<number> {
  const set = new Set<number>();
  for (const item of part.split(',')) {
    const [from, to, extra] = item.split('-');
    if (extra !== undefined || !from)
      throw new RangeError(`${field}: bad days ${JSON.stringify(item)} in ${JSON.stringify(text)}`);
    const first = dayIndex(from, text, field);
    const last = to === undefined ? first : dayIndex(to, text, field);
    // Fri-Mon wraps over the weekend.
    for (let d = first; ; d = (d + 1) % 7) {
      set.add(d);
      if (d === last) break;
    }
  }
  return set;
}

function minutes(clock: string, text: string, field: string, isEnd: boolean): number {
  const m = /^(\d\d):(\d\d)$/u.exec(clock);
  const h = m ? Number(m[1]) : NaN;
  const min = m ? Number(m[2]) : NaN;
  const total = h * 60 + min;
  if (!m || min > 59 || total > (isEnd ? 1440 : 1439)) {
    throw new RangeError(
      `${field}: bad time ${JSON.stringify(clock)} in ${JSON.stringify(text)}; write HH:MM, 00:00 to ${isEnd ? '24:00' : '23:59'}`,
    );
  }
  return total;
}

/**
 * Checks an `allowed` value: `'Mon-Fri 07:00-19:00'`, several separated by `;` (`'Mon-Fri 07:00-19:00; Sat
 * 09:00-13:00'`). Days are English three-letter names, single (`Sat`), ranges (`Mon-Fri`, `Fri-Mon`) or lists
 * (`Mon,Wed`). The start is in the window, the end is not; an end before the start is on the next day
 * (`Fri 22:00-02:00` is Friday 22:00 to Saturday 02:00).
 */
export function timeWindow(value: unknown, field: string): TimeWindow {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${field} must be a text such as 'Mon-Fri 07:00-19:00', got ${JSON.stringify(value)}`);
  }
  const spans = value.split(';').map((raw) => {
    const part = raw.trim();
    const m = /^(\S+)\s+(\S+)-(\S+)$/u.exec(part);
    if (!m) throw new RangeError(`${field}: ${JSON.stringify(part)} is not like 'Mon-Fri 07:00-19:00'`);
    const start = minutes(m[2]!, value, field, false);
    const end = minutes(m[3]!, value, field, true);
    if (start === end) {
      throw new RangeError(`${field}: ${JSON.stringify(part)} is empty; a whole day is 00:00-24:00`);
    }
    return { days: days(m[1]!, value, field), start, end };
  });
  return { text: value.trim(), spans };
}

/** Checks an IANA time zone name (`'Europe/Berlin'`, `'UTC'`) against the zones this Node knows. */
export function timeZone(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`${field} must be an IANA time zone such as 'Europe/Berlin' or 'UTC'`);
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new RangeError(
      `${field}: unknown time zone ${JSON.stringify(value)}; write an IANA name such as 'Europe/Berlin' or 'UTC'`,
    );
  }
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `zone` at `ms`: day of the week (0 Sunday) and minutes after midnight. */
export function wallClock(ms: number, zone: string): { day: number; minute: number } {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
  return {
    day: DAY_NAMES.indexOf(parts.weekday as (typeof DAY_NAMES)[number]),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** Whether `ms` falls in the window, read on the wall clock of `zone` (so across a DST change as the clock shows). */
export function inWindow(w: TimeWindow, ms: number, zone: string): boolean {
  const { day, minute } = wallClock(ms, zone);
  const yesterday = (day + 6) % 7;
  return w.spans.some((s) =>
    s.start < s.end
      ? s.days.has(day) && minute >= s.start && minute < s.end
      : (s.days.has(day) && minute >= s.start) || (s.days.has(yesterday) && minute < s.end),
  );
}

/** The wall clock as a reason shows it: `'Sat 10:00'`. */
export function wallText(ms: number, zone: string): string {
  const { day, minute } = wallClock(ms, zone);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${DAY_NAMES[day]} ${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
}
