import type { Backend, EventWatch } from '../backend.js';
import { SESSION_EVENT_TYPES, type SessionEventType } from '../types.js';

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

  constructor(
    private readonly hub: ServerHub,
    readonly types: readonly SessionEventType[],
  ) {}

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

  constructor(
    backend: Backend,
    server: string | null,
    private readonly discard: () => void,
  ) {
    this.watch = backend.watchEvents(server);
    // A failed open is not kept: the next loop tries again.
    this.watch.catch(() => {
      this.discard();
    });
  }

  async join(types: readonly SessionEventType[]): Promise<Subscription> {
    const subscription = new Subscription(this, types);
    this.subscribers.add(subscription);
    try {
      await this.watch;
    } catch (error) {
      this.subscribers.delete(subscription);
      throw error;
    }
    void this.pump();
    return subscription;
  }

  /** Leaves; the last loop out closes the backend watch, and every loop that left waits for that close. */
  leave(subscription: Subscription): Promise<void> {
    this.subscribers.delete(subscription);
    return this.subscribers.size > 0 ? Promise.resolve() : this.close();
  }

  private close(): Promise<void> {
    this.closed = true;
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
    try {
      while (!this.closed) {
        const happened = await watch.next(SESSION_EVENT_TYPES);
        if (this.isClosed()) break;
        if (happened.length === 0) break; // the backend ended the watch
        const time = new Date();
        for (const s of this.subscribers) {
          const types = happened.filter((t) => s.types.includes(t));
          if (types.length > 0) s.push({ types, time });
        }
      }
    } catch (error) {
      if (!this.closed) for (const s of this.subscribers) s.push(error as Error);
    }
    if (this.closed) return;
    // Ended by the backend or by an error: every loop ends, and the next one opens a fresh watch.
    const closing = this.close();
    for (const s of this.subscribers) s.end();
    await closing.catch(() => undefined); // each loop sees a failed close through its own leave()
  }
}

const hubs = new WeakMap<Backend, Map<string | null, ServerHub>>();

/** Joins the shared watch of `server` on `backend` (opening it if nobody watches that server yet). */
export function joinWatch(
  backend: Backend,
  server: string | null,
  types: readonly SessionEventType[],
): Promise<Subscription> {
  let byServer = hubs.get(backend);
  if (!byServer) hubs.set(backend, (byServer = new Map<string | null, ServerHub>()));
  const key = server?.toLowerCase() ?? null;
  let hub = byServer.get(key);
  if (!hub) {
    const created: ServerHub = new ServerHub(backend, server, () => {
      if (byServer.get(key) === created) byServer.delete(key);
    });
    byServer.set(key, (hub = created));
  }
  return hub.join(types);
}
