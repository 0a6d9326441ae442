import type { PolicyDecision, PolicyRow } from './policy-types.js';

/** `skipReason` of a decision left alone because it was not among the confirmed ones (`only`). */
export const NOT_CONFIRMED = 'ERR_NOT_CONFIRMED';

const fold = (text: string | null) => text?.toLowerCase() ?? null;

/**
 * Checks `options.only`: the rows someone confirmed (as a dry run gave them), or undefined for no restriction. Only
 * session rows count; a host row names nobody.
 */
export function checkOnly(value: unknown): readonly PolicyRow[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new TypeError('options.only must be an array of policy rows');
  for (const [i, row] of (value as unknown[]).entries()) {
    const r = row as Partial<PolicyRow> | null;
    if (typeof r !== 'object' || r === null || typeof r.sessionId !== 'number' || typeof r.action !== 'string') {
      throw new TypeError(`options.only[${i}] must be a row of a session, as a dry run gives it`);
    }
  }
  return value as PolicyRow[];
}

/**
 * Whether a confirmed row stands for this decision: the same host, session and action, and the same sign-in (user,
 * domain, logon time). A session that crossed a limit while the question was up, or an id now holding someone else,
 * was not confirmed.
 */
export function isConfirmed(only: readonly PolicyRow[], server: string | null, d: PolicyDecision): boolean {
  const s = d.session;
  return only.some(
    (r) =>
      fold(r.server) === fold(server) &&
      r.sessionId === s.id &&
      r.action === d.action &&
      fold(r.userName) === fold(s.userName) &&
      fold(r.domain) === fold(s.domain) &&
      (r.logonTime?.getTime() ?? null) === (s.logonTime?.getTime() ?? null),
  );
}
