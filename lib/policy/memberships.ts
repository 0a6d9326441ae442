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
    try {
      // A session of this machine may be read from its token (nested groups, other domains' groups).
      const names = await this.backend.userGroups(s.userName!, s.domain ?? '', scope, server, s.id);
      return { set: new Set(names.map(accountKey)), error: null };
    } catch (error) {
      return { set: null, error: error as Error };
    }
  }

  /** The membership of the session's user, from the cache while fresh, else read now. */
  async of(s: Session, server: string | null, needs: GroupNeeds): Promise<Membership> {
    const key = `${hostOf(server)}|${accountKey(s.domain ?? '')}\\${accountKey(s.userName ?? '')}`;
    const now = this.clock();
    const cached = this.entries.get(key);
    if (cached && now - cached.readAt < this.refreshMs) return cached.membership;
    // Two sessions of one account share one read.
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.readBoth(s, server, needs, key, now).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async readBoth(s: Session, server: string | null, needs: GroupNeeds, key: string, now: number) {
    const [local, domain] = await Promise.all([
      needs.local ? this.read(s, 'local', server) : { set: null, error: null },
      needs.domain ? this.read(s, 'domain', server) : { set: null, error: null },
    ]);
    const membership: Membership = { local: local.set, domain: domain.set, error: local.error ?? domain.error };
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
