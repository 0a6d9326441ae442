// logoff's own decisions, each stated: which answers sign out, the last abort check before WTSLogoffSession, the
// words of its refusals, and its options. The mock backend plays Windows.
import { describe, expect, it } from 'vitest';
import { createClient } from '../../lib/client.js';
import { createMockBackend, type MockBackend } from '../../lib/mock/index.js';
import type { MessageAnswer } from '../../lib/types.js';

const ask = { message: 'Sign out now?', timeoutSeconds: 60 };
const logoffs = (mock: MockBackend) => mock.calls.filter((c) => c.op === 'logoff').map((c) => c.sessionId);

/** A mock where bob (session 2) gives `answer` to the question. */
function answering(answer: MessageAnswer) {
  const mock = createMockBackend();
  mock.answer(2, answer);
  return { mock, client: createClient(mock) };
}

describe('logoff with ask: which answers sign out', () => {
  it('signs out on yes, and on no answer only when onTimeout says logoff', async () => {
    const cases: [MessageAnswer, 'keep' | 'logoff', string][] = [
      ['yes', 'keep', 'signedOut'],
      ['yes', 'logoff', 'signedOut'],
      ['no', 'keep', 'declined'],
      // "logoff on timeout" never turns a No into a sign-out.
      ['no', 'logoff', 'declined'],
      ['timeout', 'keep', 'timedOut'],
      ['timeout', 'logoff', 'signedOut'],
    ];
    for (const [answer, onTimeout, outcome] of cases) {
      const { mock, client } = answering(answer);
      const result = await client.logoff(2, { ask: { ...ask, onTimeout } });
      expect([result.outcome, result.answer], `${answer} ${onTimeout}`).toEqual([outcome, answer]);
      expect(logoffs(mock), `${answer} ${onTimeout}`).toEqual(outcome === 'signedOut' ? [2] : []);
    }
  });

  it('asks Yes/No with a question icon, the given words and timeout, and "Sign out" as the default title', async () => {
    const { mock, client } = answering('no');
    await client.logoff(2, { ask });
    expect(mock.calls.find((c) => c.op === 'sendMessage')).toMatchObject({
      sessionId: 2,
      title: 'Sign out',
      message: 'Sign out now?',
      buttons: 'yesNo',
      icon: 'question',
      timeoutSeconds: 60,
      wait: true,
    });
  });

  it('refuses when the session changed hands while the question was up, in those words', async () => {
    const mock = createMockBackend({
      onCall: (call, m) => {
        // The user answers, and by the re-read someone else has signed in to session 2.
        if (call.op === 'sendMessage') m.addSession({ id: 2, stationName: 'RDP-Tcp#2', userName: 'eve' });
      },
    });
    mock.answer(2, 'yes');
    const error = await createClient(mock)
      .logoff(2, { ask })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SessionRefusedError', code: 'ERR_SESSION_CHANGED' });
    // eve's session is not bob's: the guard of the re-read refuses first, or the sign-in check does.
    expect((error as Error).message).toMatch(/expected user bob|changed hands while the question was up/);
    expect(logoffs(mock)).toEqual([]);
  });
});

describe('logoff: the last abort check, right before WTSLogoffSession', () => {
  it('signs out nobody when the signal aborts after the session was read and before the sign-out', async () => {
    const mock = createMockBackend();
    const controller = new AbortController();
    const backend = Object.create(mock) as MockBackend;
    backend.getSession = (...args) => {
      const read = mock.getSession(...args);
      // The signal aborts two reactions after the read settles: after logoff's wait for it (the race with the signal)
      // has resolved, before logoff goes on. No race can see that abort; only the check just before
      // WTSLogoffSession can.
      void Promise.resolve().then(() =>
        read
          .then(() => undefined)
          .then(() => {
            controller.abort();
          }),
      );
      return read;
    };
    const error = await createClient(backend)
      .logoff(2, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
    expect(logoffs(mock)).toEqual([]);
  });
});

describe('logoff, disconnect and listProcesses options', () => {
  it('names the option at fault, and nothing reaches Windows', async () => {
    const mock = createMockBackend();
    const client = createClient(mock);
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => client.logoff(2, { ask: 'sure' } as never), 'TypeError', 'options.ask'],
      [() => client.logoff(2, { ask: { message: '' } }), 'TypeError', 'options.ask.message must be a non-empty string'],
      [() => client.logoff(2, { ask: { message: 5 } } as never), 'TypeError', 'options.ask.message must be a'],
      [
        () => client.logoff(2, { ask: { message: 'm', title: 5 } } as never),
        'TypeError',
        'options.ask.title must be a string',
      ],
      [
        () => client.logoff(2, { ask: { message: 'm', onTimeout: 'wait' } } as never),
        'RangeError',
        "options.ask.onTimeout must be 'keep' or 'logoff'",
      ],
      [
        () => client.logoff(2, { ask: { message: 'm', timeoutSeconds: -1 } }),
        'RangeError',
        'options.ask.timeoutSeconds',
      ],
      [() => client.logoff(2, { wait: 'yes' } as never), 'TypeError', 'options.wait must be a boolean'],
      [() => client.disconnect(2, { wait: 1 } as never), 'TypeError', 'options.wait must be a boolean'],
      [() => client.listProcesses({ sessionId: -1 }), 'RangeError', 'options.sessionId'],
    ];
    for (const [call, type, message] of cases) {
      const error = (await call().catch((e: unknown) => e)) as Error;
      expect(error.constructor.name, message).toBe(type);
      expect(error.message, message).toContain(message);
    }
    expect(mock.calls).toEqual([]);
  });

  it('takes a title for the question, and does not wait for a sign-out or disconnect unless asked', async () => {
    const { mock, client } = answering('yes');
    await client.logoff(2, { ask: { ...ask, title: 'Maintenance' } });
    expect(mock.calls.find((c) => c.op === 'sendMessage')?.title).toBe('Maintenance');
    expect(mock.calls.find((c) => c.op === 'logoff')?.wait).toBe(false);
    await client.disconnect(3);
    expect(mock.calls.find((c) => c.op === 'disconnect')?.wait).toBe(false);
  });
});
