import { accountKey } from './group-trust.js';

/** A compiled name pattern; see {@link namePattern}. */
export interface NamePattern {
  /** Whether the whole name matches. */
  test(name: string): boolean;
}

/**
 * A user or computer name pattern: `*` matches any run of characters, `?` one; everything else literally, without
 * regard to case as Windows compares names ({@link accountKey}: one UTF-16 unit to one, so `ı`, `ſ` and `ß` never
 * match `I`, `S` and `SS`, which a RegExp's `i` flag would let `ſ` do).
 */
export function namePattern(pattern: string): NamePattern {
  // Code points, not UTF-16 units: a '?' stands for one character, emoji and other astral ones included.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  const body = [...accountKey(pattern)]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const re = new RegExp(`^${body}$`, 'u');
  return { test: (name) => re.test(accountKey(name)) };
}

/** A trusted-user pattern: `'DOMAIN\\user'` is matched against the whole account, `'user'` against the user part. */
export interface UserPattern {
  /** The text as written, for messages. */
  text: string;
  domain: NamePattern | null;
  user: NamePattern;
}

export function userPattern(text: string): UserPattern {
  const slash = text.indexOf('\\');
  if (slash < 0) return { text, domain: null, user: namePattern(text) };
  return { text, domain: namePattern(text.slice(0, slash)), user: namePattern(text.slice(slash + 1)) };
}

/**
 * Whether the account matches any pattern: `true`, `false`, or `null` when the answer depends on a domain that is
 * not known (Windows refused it): a pattern with a domain can then neither match nor be ruled out.
 */
export function matchUser(
  patterns: readonly UserPattern[],
  userName: string,
  domain: string | null,
  domainKnown: boolean,
): boolean | null {
  let unsure = false;
  for (const p of patterns) {
    if (!p.user.test(userName)) continue;
    if (p.domain === null) return true;
    if (!domainKnown) unsure = true;
    else if (p.domain.test(domain ?? '')) return true;
  }
  return unsure ? null : false;
}
