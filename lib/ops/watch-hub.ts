import type { Backend, EventWatch } from '../backend.js';
import { WtsError } from '../errors.js';
import { SESSION_EVENT_TYPES, type SessionEventType, type WatchMode } from '../types.js';
import { listSummaries } from '../session-summary.js';
import { changedTypes, type ListedSession } from './poll-changes.js';

/** How often a polled server is listed unless the first loop on it says otherwise. */
export const DEFAULT_POLL_EVERY_MS = 5_000;

// The addon refuses a wait when every wait thread holds another server's (native/shared_wait.h), as the mock does
// with `waitThreads`: that server is polled, never left queued.
const isWaitLimit = (error: unknown) => error instanceof WtsError && error.errno === 155;

/** Event types that reached this process together, and when. */
export interface EventBatch {
  types: SessionEventType[];
  time: Date;
}

/** One watchSessions() loop's share of a server's events. */
export class Subscription {
  private readonly queue: (EventBatch | Error)[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private leaving: Promise<void> | undefined;
  private modeListener: ((mode: WatchMode) => void) | undefined;

  constructor(
    private readonly hub: ServerHub,
    readonly types: readonly SessionEventType[],
    since: readonly ListedSession[] | undefined,
  ) {
    // Only what a comparison reads: a watched server keeps it for as long as its watch lasts.
    this.since = since?.map(({ id, stationName, state, userName, domain, logonTime }) => ({
      id,
      stationName,
      state,
      userName,
      domain,
      logonTime,
    }));
  }

  /**
   * The listing its loop took before joining, if it took one: compared with the poll's listing once the server is
   * polled, so that what changed in between is not lost (see {@link ServerHub.catchUp}). Cleared once compared.
   */
  since: ListedSession[] | undefined;

  /** How the server's events are followed now. */
  get mode(): WatchMode {
    return this.hub.mode();
  }

  /** Calls `listener` with the mode now, and again whenever it changes. */
  onMode(listener: (mode: WatchMode) => void): void {
    this.modeListener = listener;
    listener(this.mode);
  }

  /** The server's mode changed. */
  modeChanged(): void {
    this.modeListener?.(this.mode);
  }

  /** Queues a batch (or the error that ended the watch) for {@link next}. */
  push(item: EventBatch | Error): void {
    this.queue.push(item);
    this.wake?.();
  }

  /** No more batches after those queued. */
  end(): void {
    this.ended = true;
    this.wake?.();
  }

  /** The next batch; `undefined` once ended. Rejects with the error that ended the server's watch. */
  async next(): Promise<EventBatch | undefined> {
    for (;;) {
      const item = this.queue.shift();
      if (item instanceof Error) throw item;
      if (item) return item;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  /** Ends this loop at once, whatever the server's watch is doing; idempotent. */
  close(): Promise<void> {
    this.end();
    return (this.leaving ??= this.hub.leave(this));
  }
}

/**
 * One backend watch per server, shared by every watchSessions() loop on it: a loop's close ends only that loop, and
 * the backend watch closes when the last loop leaves. Across backends, worker threads and copies of the package the
 * native backend shares one wait per server itself (native/shared_wait.h: Windows allows one wait at a time per
 * server handle); this hub only saves each loop a native watch of its own.
 */
class ServerHub {
  private readonly subscribers = new Set<Subscription>();
  private readonly watch: Promise<EventWatch>;
  private pumping = false;
  private closed = false;
  private closing: Promise<void> | undefined;
  private polled = false;
  /** The poll's last listing, once it has one. */
  private latest: ListedSession[] | undefined;
  private fullListings = false;
  private wakePoll: (() => void) | undefined;

  constructor(
    private readonly backend: Backend,
    private readonly server: string | null,
    private readonly discard: () => void,
    private readonly pollEveryMs: number,
  ) {
    this.watch = backend.watchEvents(server);
    // A failed open is not kept: the next loop tries again.
    this.watch.catch(() => {
      this.discard();
    });
  }

  async join(types: readonly SessionEventType[], since: readonly ListedSession[] | undefined): Promise<Subscription> {
    const subscription = new Subscription(this, types, since);
    this.subscribers.add(subscription);
    try {
      await this.watch;
    } catch (error) {
      this.subscribers.delete(subscription);
      throw error;
    }
    void this.pump();
    await this.settled();
    if (this.latest) this.catchUp(this.latest);
    return subscription;
  }

  mode(): WatchMode {
    return {
      server: this.server,
      mode: this.polled ? 'polled' : 'watched',
      pollEveryMs: this.polled ? this.pollEveryMs : null,
    };
  }

  /**
   * Waits until a refused first wait has been seen: the addon and the mock refuse at once, a few promise hops away,
   * while an accepted one just waits. So the mode a loop is told at its start is already the right one.
   */
  private async settled(): Promise<void> {
    for (let hops = 0; hops < 64 && !this.polled; hops++) await Promise.resolve();
  }

  /** Leaves; the last loop out closes the backend watch, and every loop that left waits for that close. */
  leave(subscription: Subscription): Promise<void> {
    this.subscribers.delete(subscription);
    return this.subscribers.size > 0 ? Promise.resolve() : this.close();
  }

  private close(): Promise<void> {
    this.closed = true;
    this.wakePoll?.();
    return (this.closing ??= (async () => {
      this.discard();
      await (await this.watch).close();
    })());
  }

  private isClosed(): boolean {
    return this.closed;
  }

  /** Waits for events while anyone listens, and hands each loop the kinds it asked for. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const watch = await this.watch;
    let failure: unknown;
    try {
      while (!this.closed) {
        const happened = await watch.next(SESSION_EVENT_TYPES);
        if (this.isClosed()) break;
        if (happened.length === 0) break; // the backend ended the watch
        this.dispatch(happened);
      }
    } catch (error) {
      failure = error;
    }
    if (!this.closed && isWaitLimit(failure)) failure = await this.poll();
    if (failure !== undefined && !this.closed) for (const s of this.subscribers) s.push(failure as Error);
    if (this.closed) return;
    // Ended by the backend or by an error: every loop ends, and the next one opens a fresh watch.
    const closing = this.close();
    for (const s of this.subscribers) s.end();
    await closing.catch(() => undefined); // each loop sees a failed close through its own leave()
  }

  private dispatch(happened: readonly SessionEventType[]): void {
    const time = new Date();
    for (const s of this.subscribers) deliver(s, happened, time);
  }

  /**
   * Tells each loop that listed the server before it joined what changed between that listing and the poll's
   * `listing`. The poll's own first listing is only its baseline: a sign-in after a loop's listing and before that
   * baseline (or before the poll listing a later loop joins after) is in neither difference the poll computes, so
   * without this it would wait for the loop's next check (an hour, for the enforcer).
   */
  private catchUp(listing: readonly ListedSession[]): void {
    const time = new Date();
    for (const s of this.subscribers) {
      if (!s.since) continue;
      deliver(s, changedTypes(s.since, listing), time);
      s.since = undefined;
    }
  }

  /**
   * One poll's listing: a single WTSEnumerateSessionsExW call (summaries). Should that fail where a full listing
   * works (a host that does not answer it), full listings from then on.
   */
  private async pollListing(): Promise<ListedSession[]> {
    if (this.fullListings) return this.backend.listSessions(this.server);
    try {
      return await listSummaries(this.backend, this.server);
    } catch (error) {
      const full = await this.backend.listSessions(this.server).catch(() => undefined);
      if (!full) throw error;
      this.fullListings = true;
      return full;
    }
  }

  /** Lists the server every `pollEveryMs` while anyone listens; the changes are its events. Resolves to a failure. */
  private async poll(): Promise<unknown> {
    this.polled = true;
    for (const s of this.subscribers) s.modeChanged();
    let before: ListedSession[] | undefined;
    this.latest = undefined;
    // At a fixed rate, so that a slow listing does not stretch the interval; the first one a random part of an
    // interval after the baseline, so that the servers polled since the same moment do not all list at once.
    let due = Date.now() + Math.random() * this.pollEveryMs;
    while (!this.closed) {
      try {
        const after = await this.pollListing();
        if (before && !this.isClosed()) this.dispatch(changedTypes(before, after));
        if (!this.isClosed()) this.catchUp(after);
        if (before) due += this.pollEveryMs;
        before = this.latest = after;
      } catch (error) {
        return error;
      }
      due = Math.max(due, Date.now());
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, due - Date.now());
        this.wakePoll = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakePoll = undefined;
    }
    return undefined;
  }
}

/** Hands a loop the kinds of `happened` it asked for, if any. */
function deliver(s: Subscription, happened: readonly SessionEventType[], time: Date): void {
  const types = happened.filter((t) => s.types.includes(t));
  if (types.length > 0) s.push({ types, time });
}

const hubs = new WeakMap<Backend, Map<string | null, ServerHub>>();

/**
 * Joins the shared watch of `server` on `backend` (opening it if nobody watches that server yet). `since`: the
 * listing the caller took just before, if it took one; a polled server's changes since then are then events too.
 */
export function joinWatch(
  backend: Backend,
  server: string | null,
  types: readonly SessionEventType[],
  pollEveryMs = DEFAULT_POLL_EVERY_MS,
  since?: readonly ListedSession[],
): Promise<Subscription> {
  let byServer = hubs.get(backend);
  if (!byServer) hubs.set(backend, (byServer = new Map<string | null, ServerHub>()));
  const key = server?.toLowerCase() ?? null;
  let hub = byServer.get(key);
  if (!hub) {
    const created: ServerHub = new ServerHub(
      backend,
      server,
      () => {
        if (byServer.get(key) === created) byServer.delete(key);
      },
      pollEveryMs,
    );
    byServer.set(key, (hub = created));
  }
  return hub.join(types, since);
}
