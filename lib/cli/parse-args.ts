/** A command's flags: name → kind (and a one-letter alias); a `repeat` flag given twice keeps both values, `a,b`. */
export type FlagSpec = Record<string, { kind: 'boolean' | 'string'; short?: string; repeat?: boolean }>;

export interface ParsedArgs {
  positionals: string[];
  flags: Record<string, string | boolean | undefined>;
}

/**
 * A mistake in the command line: exit code 2, with the command's help pointed to. `code` is `ERR_USAGE`, or the
 * code of what went wrong with a file the command line names (`ENOENT` for a missing --mock scenario, say).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code: string;

  constructor(message: string, code = 'ERR_USAGE') {
    super(message);
    this.code = code;
  }
}

/**
 * Parses `--flag`, `--flag value`, `--flag=value`, `-x` and positionals, strictly: an unknown flag is a UsageError
 * (a typo must never turn into a different action). `--mock` takes the next word only when it names a file (see
 * {@link isScenarioName}); `--mock=<file>` takes any name.
 */
export function parseArgs(argv: readonly string[], spec: FlagSpec): ParsedArgs {
  const positionals: string[] = [];
  const flags: ParsedArgs['flags'] = {};
  const byShort = new Map(Object.entries(spec).flatMap(([name, s]) => (s.short ? [[s.short, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-' || /^-\d/.test(arg)) {
      positionals.push(arg);
      continue;
    }
    const [rawName, inline] = arg.startsWith('--')
      ? splitOnce(arg.slice(2))
      : [byShort.get(arg.slice(1)) ?? `-${arg.slice(1)}`, undefined];
    const name = rawName;
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option ${arg}`);
    if (s.kind === 'boolean') {
      if (inline !== undefined && name !== 'mock') throw new UsageError(`--${name} takes no value`);
      if (name === 'mock') {
        if (inline === '') throw new UsageError('--mock= needs a file name; leave out the = for the built-in demo');
        const next = argv[i + 1];
        flags[name] = inline ?? (next !== undefined && isScenarioName(next) ? (i++, next) : true);
      } else flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    // `--server --yes` must not make "--yes" a host name (and leave --yes unset): an option is never a value.
    if (inline === undefined && value.startsWith('--'))
      throw new UsageError(`--${name} needs a value, got the option ${value}`);
    const earlier = flags[name];
    flags[name] = s.repeat && typeof earlier === 'string' ? `${earlier},${value}` : value;
  }
  return { positionals, flags };
}

/**
 * Whether the word after `--mock` is its scenario file rather than the next argument: a name that looks like a file
 * (`x.json`, `scenario.txt`, anything with a `/` or `\\`). Any other name goes as `--mock=<name>`.
 */
export function isScenarioName(word: string): boolean {
  return !word.startsWith('-') && (/[\\/]/.test(word) || /^.+\.[A-Za-z]\w*$/.test(word));
}

function splitOnce(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Refuses positionals past the first `max`: `list bob` must not quietly list everyone. */
export function atMostPositionals(args: ParsedArgs, max: number): void {
  const stray = args.positionals[max];
  if (stray !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(stray)}`);
}

/** A positional session id, strictly decimal: '3' yes; '3x', '0x3', '' no. */
export function sessionIdArg(value: string | undefined, what = 'a session id'): number {
  if (value === undefined) throw new UsageError(`missing ${what}`);
  if (!/^\d{1,10}$/.test(value)) throw new UsageError(`${what} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** A whole number of seconds from a flag. */
export function secondsArg(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,8}$/.test(value))
    throw new UsageError(`--${name} must be a whole number of seconds`);
  return Number(value);
}
