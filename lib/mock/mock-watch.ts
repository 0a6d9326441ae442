import type { EventWatch } from '../backend.js';
import { WtsError } from '../errors.js';
import { SESSION_EVENT_TYPES, type SessionEventType } from '../types.js';
import type { MockSessionSeed } from './seed.js';

/** What an event did to the server's sessions, applied as it happens. */
export interface MockEventChange {
  /**
   * Sessions added, or replaced by id. A user's session without `logonTime` keeps the one it had when it is the same
   * user's (a disconnect, say), and signs in at the event's time otherwise.
   */
  set?: MockSessionSeed[] | undefined;
  /** Ids of sessions that ended. */
  remove?: number[] | undefined;
}

/** A scripted session event: it happens `delayMs` into the wait that receives it (as the test stand-in does). */
export interface MockEventSeed {
  /** What happens (one event may carry several kinds, as Windows's bitmask does). */
  types: readonly SessionEventType[];
  /** Default 0. */
  delayMs?: number | undefined;
  /** The server it happens on; default the local machine. */
  server?: string | null | undefined;
  /** What it does to the sessions when it happens (a logon adds one, a logoff removes one): a listing after it shows it. */
  change?: MockEventChange | undefined;
}

interface QueuedEvent {
  types: readonly SessionEventType[];
  delayMs: number;
  server: string | null;
  change: MockEventChange | undefined;
  used: boolean;
}

/** The events of one mock, shared by its watches: each wait takes the next unused event of its server. */
export class MockEventQueue {
  private readonly events: QueuedEvent[] = [];
  private readonly waiters = new Set<() => void>();

  push(seed: MockEventSeed): void {
    this.events.push({
      types: seed.types,
      delayMs: seed.delayMs ?? 0,
      server: seed.server?.toLowerCase() ?? null,
      change: seed.change,
      used: false,
    });
    for (const wake of this.waiters) wake();
  }

  clear(): void {
    this.events.length = 0;
  }

  /** The next unused event for `server`, or undefined; waits `wake` otherwise. */
  take(server: string | null): QueuedEvent | undefined {
    return this.events.find((e) => !e.used && e.server === server);
  }

  onPush(wake: () => void): () => void {
    this.waiters.add(wake);
    return () => this.waiters.delete(wake);
  }
}

/** One watch on the mock: `next` resolves to the next event's types (filtered), or `[]` once closed. */
export class MockWatch implements EventWatch {
  private closed = false;
  private readonly onClose = new Set<() => void>();

  constructor(
    private readonly queue: MockEventQueue,
    private readonly server: string | null,
    private readonly happened: (change: MockEventChange) => void = () => undefined,
  ) {}

  async next(types: readonly SessionEventType[]): Promise<SessionEventType[]> {
    const started = Date.now();
    for (;;) {
      if (this.closed) return [];
      const event = this.queue.take(this.server);
      if (event) {
        const remaining = event.delayMs - (Date.now() - started);
        if (remaining > 0) {
          await this.sleep(remaining);
          continue; // closed meanwhile, or now due
        }
        event.used = true;
        if (event.change) this.happened(event.change);
        // In flag-bit order, as Windows's one bitmask gives them, whatever order the seed listed them in.
        const wanted = SESSION_EVENT_TYPES.filter((t) => event.types.includes(t) && types.includes(t));
        if (wanted.length > 0) return wanted;
        continue;
      }
      await new Promise<void>((resolve) => {
        const stop = this.queue.onPush(done);
        this.onClose.add(done);
        function done() {
          stop();
          resolve();
        }
      });
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      const onClose = this.onClose;
      onClose.add(done);
      function done() {
        clearTimeout(timer);
        onClose.delete(done);
        resolve();
      }
    });
  }

  close(): Promise<void> {
    this.closed = true;
    for (const wake of [...this.onClose]) wake();
    this.onClose.clear();
    return Promise.resolve();
  }
}

/**
 * A watch on a host the mock does not know. As on Windows, opening it succeeds (WTSOpenServerW hands out a handle
 * for any name) and its first wait fails: WTSWaitSystemEvent is an RPC to the host, so it fails with
 * RPC_S_SERVER_UNAVAILABLE (1722), as every other call on that handle does.
 */
export class UnreachableWatch implements EventWatch {
  private closed = false;

  constructor(private readonly server: string | null) {}

  next(): Promise<SessionEventType[]> {
    if (this.closed) return Promise.resolve([]);
    return Promise.reject(new WtsError({ errno: 1722, syscall: 'WTSWaitSystemEvent', server: this.server }));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}
