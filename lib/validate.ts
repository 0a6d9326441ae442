// The argument and option checks the public functions share (session ids, servers, booleans, signals,
// concurrency, optional strings): one owner for each rule and its error message.
/** The largest session id accepted: 0xFFFFFFFE is WTS_ANY_SESSION and 0xFFFFFFFF WTS_CURRENT_SESSION, not sessions. */
export const MAX_SESSION_ID = 0xfffffffd;

// Host names travel to WTSOpenServerW; 255 is the DNS limit and keeps absurd strings out of native code.
const MAX_SERVER_LENGTH = 255;

/** A short description of a value for error messages (never '[object Object]'). */
export function describe(value: unknown): string {
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'bigint') return `the bigint ${value}n`;
  if (value === null) return 'null';
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  return 'undefined';
}

/**
 * Checks a session id before it can reach Windows: an integer from 0 to {@link MAX_SESSION_ID}.
 * A wrong type is a TypeError; a number out of range (or not whole) is a RangeError.
 */
export function checkSessionId(value: unknown, name = 'sessionId'): number {
  if (typeof value !== 'number') {
    throw new TypeError(`${name} must be a number (an integer session id), got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < 0 || value > MAX_SESSION_ID) {
    throw new RangeError(`${name} must be an integer from 0 to ${MAX_SESSION_ID}, got ${String(value)}`);
  }
  return value;
}

/** Checks an options argument: `undefined` or a plain object. */
export function checkOptions<T extends object>(value: unknown, name = 'options'): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be an object, got ${describe(value)}`);
  }
  return value;
}

/**
 * Checks `options.server`: a host name, or nothing (`undefined`, `null`) for the local machine. An empty or blank
 * name is refused rather than read as "this machine": a sign-out must never land on a target nobody named.
 */
export function checkServer(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') throw new TypeError(`options.server must be a string, got ${describe(value)}`);
  if (value.trim() === '') {
    throw new TypeError(
      `options.server must name a host, got ${describe(value)}; omit it (or pass null) for this machine`,
    );
  }
  // No host name has white space in it; a stray space most likely means the name is not the one meant.
  if (/\s/.test(value)) throw new RangeError(`options.server must not contain white space, got ${describe(value)}`);
  if (value.length > MAX_SERVER_LENGTH) {
    throw new RangeError(`options.server must be at most ${MAX_SERVER_LENGTH} characters, got ${value.length}`);
  }
  // A NUL would cut the name short in native code, so a different host could be asked than the one named.
  if (value.includes('\0')) throw new RangeError('options.server must not contain NUL characters');
  return value;
}

/** Checks a boolean option, `undefined` giving the default. */
export function checkBoolean(value: unknown, name: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/**
 * Checks an optional `remoteClock` option (`'caller'`, or `null`/`undefined` for the default): whether a remote
 * host's durations may be measured on the caller's clock when the host's own cannot be read.
 */
export function checkRemoteClock(value: unknown, name = 'options.remoteClock'): boolean {
  if (value === undefined || value === null) return false;
  if (value !== 'caller') throw new TypeError(`${name} must be 'caller' or null, got ${describe(value)}`);
  return true;
}

/** Checks an optional `signal` option. */
export function checkSignal(value: unknown, name = 'options.signal'): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) throw new TypeError(`${name} must be an AbortSignal`);
  return value;
}

/** Checks a `concurrency` option: an integer from 1 to 256, default `fallback`. */
export function checkConcurrency(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError('options.concurrency must be a number');
  if (!Number.isInteger(value) || value < 1 || value > 256) {
    throw new RangeError(`options.concurrency must be an integer from 1 to 256, got ${value}`);
  }
  return value;
}

/** Checks an optional string that may also be `null`. */
export function optionalString(value: unknown, name: string): string | null | undefined {
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string or null`);
  return value;
}
