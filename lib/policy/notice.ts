import type { CheckedAction } from './check-policy.js';
import { spokenDuration } from './policy-duration.js';

/** What a notice's placeholders are filled with. */
export interface NoticeFacts {
  /** `DOMAIN\user`. */
  user: string;
  /** Why the rule applies. */
  reason: string;
  /** The server's clock (ms), or `null` when unknown: `{deadline}` then says "in" the grace period. */
  clock: number | null;
}

/** `HH:MM UTC`: the clock of a remote host's users is not known here, so the zone is said rather than guessed. */
function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 16)} UTC`;
}

/**
 * The notice for an action: its own message with `{user}`, `{reason}`, `{grace}` and `{deadline}` filled in, or the
 * default one, which says when the action comes and what the buttons do. Not cut to length: the caller does that.
 */
export function fillNotice(action: CheckedAction, facts: NoticeFacts): string {
  const grace = spokenDuration(action.graceMs ?? 0);
  const deadline =
    facts.clock === null || action.graceMs === null ? `in ${grace}` : `at ${clockTime(facts.clock + action.graceMs)}`;
  if (action.message !== null) {
    // One pass, so that a user or client name holding "{grace}" is not filled in again.
    const values: Readonly<Record<string, string>> = { user: facts.user, reason: facts.reason, grace, deadline };
    return action.message.replace(/\{(user|reason|grace|deadline)\}/gu, (_, key: string) => values[key]!);
  }
  const what = action.do === 'signOut' ? 'signed out' : 'disconnected';
  const then = action.early
    ? `Press Yes to be ${what} now, or No to keep working until then.`
    : 'Pressing OK does not shorten this time.';
  const when = deadline.startsWith('at ') ? `in ${grace} (${deadline})` : deadline;
  return `This session will be ${what} ${when}: ${facts.reason}. Save your work now. ${then}`;
}
