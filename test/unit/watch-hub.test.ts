// watchSessions shares one backend watch per server among its loops (lib/ops/watch-hub.ts), because Windows has
// one flush per server handle: these tests state who opens, who closes, who gets which events, and what an error or
// an ended watch does to every loop. The backend here is a hand-driven fake, so each step is the test's own.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../lib/backend.js';
import { createClient } from '../../lib/client.js';
import type { SessionEvent, SessionEventType } from '../../lib/types.js';

/** A backend whose watches deliver what the test emits, and count their opens and closes. */
class FakeWatches {
  readonly opened: (string | null)[] = [];
  closed = 0;
  failNextOpen: Error | null = null;
  private readonly watches: { server: string | null; waiters: Waiter[] }[] = [];

  readonly backend = {
    watchEvents: (server: string | null) => {
      if (this.failNextOpen) {
        const error = this.failNextOpen;
        this.failNextOpen = null;
        return Promise.reject(error);
      }
      this.opened.push(server);
      const watch = { server, waiters: [] as Waiter[] };
      this.watches.push(watch);
      return Promise.resolve({
        next: () =>
          new Promise<SessionEventType[]>((resolve, reject) => {
            watch.waiters.push({ resolve, reject });
          }),
        close: () => {
          this.closed++;
          for (const waiter of watch.waiters.splice(0)) waiter.resolve([]);
          return Promise.resolve();
        },
      });
    },
  } as unknown as Backend;

  /** What the wait of the newest watch (of `server`) returns: events, [] (the backend ended it), or an error. */
  async deliver(result: SessionEventType[] | Error, server: string | null = null): Promise<void> {
    await settle();
    const watch = this.watches.filter((w) => w.server?.toLowerCase() === server?.toLowerCase()).at(-1);
    const waiter = watch?.waiters.shift();
    if (!waiter) throw new Error('nobody is waiting');
    if (result instanceof Error) waiter.reject(result);
    else waiter.resolve(result);
    await settle();
  }
}

interface Waiter {
  resolve: (types: SessionEventType[]) => void;
  reject: (error: Error) => void;
}

/** Lets every pending promise reaction run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** One watchSessions() loop, and a way to end it even while it waits (an async generator's return() would wait). */
function loop(fake: FakeWatches, options: { server?: string; types?: SessionEventType[] } = {}) {
  const controller = new AbortController();
  const events = createClient(fake.backend).watchSessions({ ...options, signal: controller.signal });
  const iterator = events[Symbol.asyncIterator]();
  return Object.assign(iterator, {
    end: () => {
      controller.abort();
    },
  });
}

/** A new loop after the first watch was closed opens a second backend watch, and ends cleanly. */
async function expectFreshWatch(fake: FakeWatches): Promise<void> {
  const c = loop(fake);
  const nc = c.next();
  await settle();
  expect(fake.opened).toEqual([null, null]);
  c.end();
  await nc;
}

const types = (result: IteratorResult<SessionEvent>) => (result.done ? 'done' : result.value.type);

describe('watchSessions: one backend watch per server, shared by its loops', () => {
  it('opens one watch for two loops on a server, whatever the case of its name, and one per other server', async () => {
    const fake = new FakeWatches();
    const a = loop(fake, { server: 'TS01' });
    const b = loop(fake, { server: 'ts01' });
    const c = loop(fake, { server: 'ts02' });
    const [na, nb, nc] = [a.next(), b.next(), c.next()];
    await settle();
    expect(fake.opened).toEqual(['TS01', 'ts02']);
    await fake.deliver(['logon'], 'ts01');
    expect(types(await na)).toBe('logon');
    expect(types(await nb)).toBe('logon');
    await Promise.all([a.return(undefined), b.return(undefined)]);
    await fake.deliver(['logoff'], 'ts02');
    expect(types(await nc)).toBe('logoff');
    await c.return(undefined);
  });

  it('gives each loop only the kinds it asked for, in the batch they came in', async () => {
    const fake = new FakeWatches();
    const logons = loop(fake, { types: ['logon'] });
    const all = loop(fake);
    const [first, second] = [logons.next(), all.next()];
    await fake.deliver(['disconnect']);
    expect(types(await second)).toBe('disconnect');
    await fake.deliver(['logon', 'connect']);
    expect(types(await first)).toBe('logon');
    expect(types(await all.next())).toBe('logon');
    expect(types(await all.next())).toBe('connect');
    await Promise.all([logons.return(undefined), all.return(undefined)]);
  });

  it('closes the backend watch only when the last loop leaves; the next loop opens a fresh one', async () => {
    const fake = new FakeWatches();
    const a = loop(fake);
    const b = loop(fake);
    const nb = b.next();
    const na = a.next();
    await settle();
    a.end();
    expect(await na).toEqual({ done: true, value: undefined });
    expect(fake.closed).toBe(0);
    // b still gets events.
    await fake.deliver(['stateChange']);
    expect(types(await nb)).toBe('stateChange');
    await b.return(undefined);
    expect(fake.closed).toBe(1);
    await expectFreshWatch(fake);
    expect(fake.closed).toBe(2);
  });

  const broken = new Error('RPC server unavailable');
  for (const [how, result, expected] of [
    ['ends every loop when the backend ends the watch', [], 'done'],
    ['rejects every loop with the error that ended the watch', broken, broken],
  ] as const) {
    it(`${how}, and the next loop opens a fresh one`, async () => {
      const fake = new FakeWatches();
      const a = loop(fake);
      const b = loop(fake);
      const outcome = (next: Promise<IteratorResult<SessionEvent>>) => next.then(types, (e: unknown) => e);
      const [na, nb] = [outcome(a.next()), outcome(b.next())];
      await fake.deliver(result instanceof Error ? result : [...result]);
      expect([await na, await nb]).toEqual([expected, expected]);
      expect(fake.closed).toBe(1);
      await expectFreshWatch(fake);
    });
  }

  it('keeps no failed open: the loop rejects, and the next one tries again', async () => {
    const fake = new FakeWatches();
    fake.failNextOpen = new Error('access denied');
    await expect(loop(fake).next()).rejects.toThrow('access denied');
    const b = loop(fake);
    const nb = b.next();
    await fake.deliver(['logon']);
    expect(types(await nb)).toBe('logon');
    expect(fake.opened).toEqual([null]);
    await b.return(undefined);
  });
});

describe('watchSessions: its options and its signal', () => {
  it('refuses an empty or unknown list of types before opening anything', async () => {
    const fake = new FakeWatches();
    await expect(loop(fake, { types: [] }).next()).rejects.toThrow(
      new TypeError('options.types must be a non-empty array of event types'),
    );
    await expect(loop(fake, { types: 'logon' as never }).next()).rejects.toThrow(TypeError);
    await expect(loop(fake, { types: ['logon', 'reboot' as never] }).next()).rejects.toThrow(
      /^unknown event type reboot; known: .*\blogon\b/,
    );
    expect(fake.opened).toEqual([]);
  });

  it('opens nothing when its signal has already aborted, and ends cleanly when it aborts later', async () => {
    const fake = new FakeWatches();
    const aborted = new AbortController();
    aborted.abort();
    const early = createClient(fake.backend).watchSessions({ signal: aborted.signal });
    expect(await early[Symbol.asyncIterator]().next()).toEqual({ done: true, value: undefined });
    expect(fake.opened).toEqual([]);

    const controller = new AbortController();
    const later = createClient(fake.backend).watchSessions({ signal: controller.signal })[Symbol.asyncIterator]();
    const pending = later.next();
    await settle();
    controller.abort();
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(fake.closed).toBe(1);
  });

  it('after an abort or a return, gives nothing more, not even the rest of a batch it already took', async () => {
    for (const stop of ['abort', 'return'] as const) {
      const fake = new FakeWatches();
      const controller = new AbortController();
      const events = createClient(fake.backend).watchSessions({ signal: controller.signal })[Symbol.asyncIterator]();
      const first = events.next();
      await fake.deliver(['logon', 'connect']); // one wait, two events
      expect(types(await first)).toBe('logon');
      if (stop === 'abort') controller.abort();
      else expect(await events.return(undefined)).toEqual({ done: true, value: undefined });
      expect(await events.next(), stop).toEqual({ done: true, value: undefined });
      expect(fake.closed, stop).toBe(1);
    }
  });
});
