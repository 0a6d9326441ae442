import type { Backend } from '../backend.js';
import type { Session } from '../types.js';
import { accountKey, type Membership } from './group-trust.js';

/** How long a membership read is used before it is read again, unless the policy says (`groupRefresh`). */
export const DEFAULT_GROUP_REFRESH_MS = 5 * 60_000;

/** Which parts of a membership a policy needs: local groups, domain groups, or both. */
export interface GroupNeeds {
  local: boolean;
  domain: boolean;
}

interface Entry {
  membership: Membership;
  readAt: number;
}

// A SID as ConvertSidToStringSidW writes it. The native backend never gives a group name of this form (such a group
// could not be named in a policy anyway: `@local:S-1-...` is read as a SID), so it is a SID, not a name.
const SID_TEXT = /^S-1-\d+(-\d+)+$/u;

/** Local groups by name and by SID, apart: `@local:S-1-5-32-544` is matched only against SIDs. */
function localParts(set: Set<string> | null): Pick<Membership, 'local' | 'localSids'> {
  if (set === null) return { local: null, localSids: null };
  const sids = new Set([...set].filter((g) => SID_TEXT.test(g)));
  return { local: new Set([...set].filter((g) => !sids.has(g))), localSids: sids };
}

const hostOf = (server: string | null) => (server === null ? '' : accountKey(server));

/**
 * Group memberships by host and account, each read through the backend (NetUserGetLocalGroups with indirect
 * membership on the session's host; NetUserGetGroups at a domain controller of the user's domain) and used for
 * `refreshMs`. A failed read is not kept: it is tried again at the next check, and meanwhile the membership is
 * unknown, so the session is never acted on.
 */
export class MembershipCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Membership>>();

  constructor(
    private readonly backend: Backend,
    public refreshMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  private async read(
    s: Session,
    scope: 'local' | 'domain',
    server: string | null,
  ): Promise<{ set: Set<string> | null; error: Error | null }> {
    if (!this.backend.userGroups) {
      const error = Object.assign(new Error(`the ${this.backend.name} backend cannot read group membership`), {
        code: 'ERR_GROUPS_UNSUPPORTED',
      });
      return { set: null, error };
    }
    // An Entra ID account belongs to no Active Directory domain: no domain controller answers for AzureAD, and its
    // token's Entra ID groups (S-1-12-1-...) have no names a lookup gives. So `@ad:` can never judge it, whichever
    // way it would be read: unknown, never "in no group".
    if (scope === 'domain' && accountKey(s.domain ?? '') === 'AZUREAD') {
      const error = Object.assign(
        new Error(
          `${s.domain}\\${s.userName} is an Entra ID account, in no Active Directory domain: @ad: cannot judge it`,
        ),
        { code: 'ERR_GROUPS_UNSUPPORTED' },
      );
      return { set: null, error };
    }
    try {
      // A session of this machine may be read from its token (nested groups, other domains' groups).
      const names = await this.backend.userGroups(s.userName!, s.domain ?? '', scope, server, s.id);
      return { set: new Set(names.map(accountKey)), error: null };
    } catch (error) {
      return { set: null, error: error as Error };
    }
  }

  /**
   * The membership of the session's user, from the cache while fresh and holding every part `needs` asks for (a
   * policy reloaded with its first `@ad:` entry needs a part no earlier read had), else read now.
   */
  async of(s: Session, server: string | null, needs: GroupNeeds): Promise<Membership> {
    const key = `${hostOf(server)}|${accountKey(s.domain ?? '')}\\${accountKey(s.userName ?? '')}`;
    const now = this.clock();
    const cached = this.entries.get(key);
    const whole = (m: Membership) => (!needs.local || m.local !== null) && (!needs.domain || m.domain !== null);
    if (cached && now - cached.readAt < this.refreshMs && whole(cached.membership)) return cached.membership;
    // Two sessions of one account share one read (of the same parts).
    const readKey = `${key}|${needs.local}|${needs.domain}`;
    let pending = this.pending.get(readKey);
    if (!pending) {
      pending = this.readBoth(s, server, needs, key, now).finally(() => this.pending.delete(readKey));
      this.pending.set(readKey, pending);
    }
    return pending;
  }

  private async readBoth(s: Session, server: string | null, needs: GroupNeeds, key: string, now: number) {
    const [local, domain] = await Promise.all([
      needs.local ? this.read(s, 'local', server) : { set: null, error: null },
      needs.domain ? this.read(s, 'domain', server) : { set: null, error: null },
    ]);
    const membership: Membership = { ...localParts(local.set), domain: domain.set, error: local.error ?? domain.error };
    if (membership.error === null) this.entries.set(key, { membership, readAt: now });
    else this.entries.delete(key);
    // A guard running for months sees many accounts come and go: what is stale is read again anyway.
    if (this.entries.size > 4096) {
      for (const [k, e] of this.entries) if (now - e.readAt >= this.refreshMs) this.entries.delete(k);
    }
    return membership;
  }

  /**
   * The memberships of every signed-in user of a listing that a group entry could concern, by session id; read
   * once per account, at most `concurrency` at a time is left to the backend's pools.
   */
  async forSessions(sessions: readonly Session[], server: string | null, needs: GroupNeeds): Promise<GroupsOf> {
    const found = new Map<number, Membership>();
    if (!needs.local && !needs.domain) return () => undefined;
    await Promise.all(
      sessions
        .filter((s) => s.userName !== null && s.id !== 0 && s.state !== 'listen')
        .map(async (s) => {
          found.set(s.id, await this.of(s, server, needs));
        }),
    );
    return (s) => found.get(s.id);
  }
}

/** A session's membership as read for this check; `undefined` when none was read. */
export type GroupsOf = (s: Session) => Membership | undefined;
