import { expect, it } from 'vitest';
import { SessionRefusedError } from '../../../lib/errors.js';
import { expectRejection, expectWtsError, type ContractContext } from '../context.js';

export function logoffCases(ctx: ContractContext): void {
  it("signs out exactly the session named; with wait, never through Windows's own wait, but by reading again", async () => {
    const { client, fixture } = ctx;
    expect(await client.logoff(3, { wait: true })).toEqual({
      sessionId: 3,
      server: null,
      outcome: 'signedOut',
      answer: null,
    });
    await client.logoff(2);
    // bWait can block for ever (DuoStream/Duo #11): it is never asked for.
    expect(await fixture.actions()).toEqual([
      { op: 'logoff', server: null, sessionId: 3, wait: false },
      { op: 'logoff', server: null, sessionId: 2, wait: false },
    ]);
    expect((await client.listSessions()).map((s) => s.id)).toEqual([0, 1, 4, 65536]);
  });

  it('a sign-out Windows accepts but that leaves a hung session there: pending at waitTimeout; the signal ends the wait', async () => {
    await ctx.load((s) => {
      s.sessions.find((x) => x.id === 2)!.hung = true;
      // As a hung session does (Cassia #36), and a closing one right after a sign-out (Cassia #19): its user and logon
      // time cannot be read, which confirms nothing.
      s.failures.push({ op: 'getSession', errno: 7007, sessionId: 2, times: 1000 });
    });
    expect(await ctx.client.logoff(2, { wait: true, waitTimeout: '1s' })).toEqual({
      sessionId: 2,
      server: null,
      outcome: 'pending',
      answer: null,
    });
    // Without wait, Windows's acceptance is the answer.
    expect((await ctx.client.logoff(2)).outcome).toBe('signedOut');
    // An hour's wait, ended by the signal: it rejects at once instead.
    const controller = new AbortController();
    const waiting = ctx.client.logoff(2, { wait: true, waitTimeout: '1h', signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 300);
    await expectRejection(waiting, 'AbortError', 'ABORT_ERR');
    expect((await ctx.fixture.actions()).map((c) => [c.op, c.sessionId, c.wait])).toEqual([
      ['logoff', 2, false],
      ['logoff', 2, false],
      ['logoff', 2, false],
    ]);
    expect((await ctx.client.getSession(2))?.partial?.[0]?.code).toBe('ERROR_CTX_CLOSE_PENDING');
  });

  it('signs out on a remote server, leaving the local session of the same id alone', async () => {
    const { client, fixture } = ctx;
    await client.logoff(1, { server: 'ts01.contoso.test' });
    expect(await fixture.actions()).toEqual([{ op: 'logoff', server: 'ts01.contoso.test', sessionId: 1, wait: false }]);
    expect(await client.getSession(1)).not.toBeNull();
    expect(await client.getSession(1, { server: 'ts01.contoso.test' })).toBeNull();
  });

  it('refuses a session that does not exist, without calling WTSLogoffSession', async () => {
    const error = await expectRejection(ctx.client.logoff(42), 'SessionRefusedError', 'ERR_SESSION_NOT_FOUND');
    expect(error).toBeInstanceOf(SessionRefusedError);
    expect(await ctx.fixture.actions()).toEqual([]);
  });

  it('refuses its own session, session 0 and listeners unless told, each with its own code', async () => {
    const { client, fixture } = ctx;
    await expectRejection(client.logoff(1), 'SessionRefusedError', 'ERR_OWN_SESSION');
    await expectRejection(client.logoff(0), 'SessionRefusedError', 'ERR_SERVICES_SESSION');
    await expectRejection(client.logoff(65536), 'SessionRefusedError', 'ERR_LISTENER_SESSION');
    expect(await fixture.actions()).toEqual([]);
    await client.logoff(1, { allowOwnSession: true });
    expect(await fixture.actions()).toEqual([{ op: 'logoff', server: null, sessionId: 1, wait: false }]);
  });

  it('refuses when the session now belongs to someone else (expect)', async () => {
    const { client, fixture, scenario } = ctx;
    await expectRejection(
      client.logoff(2, { expect: { userName: 'mallory' } }),
      'SessionRefusedError',
      'ERR_SESSION_CHANGED',
    );
    await expectRejection(
      client.logoff(2, { expect: { userName: 'bob', logonTime: scenario.sessions[2]!.logonTime! - 1000 } }),
      'SessionRefusedError',
      'ERR_SESSION_CHANGED',
    );
    expect(await fixture.actions()).toEqual([]);
    const bob = scenario.sessions[2]!;
    await client.logoff(2, { expect: { userName: 'BOB', domain: 'contoso', logonTime: new Date(bob.logonTime!) } });
    expect(await fixture.actions()).toHaveLength(1);
  });

  it('reports access denied on logoff with a hint to run elevated, and signs nobody out', async () => {
    await ctx.load((s) => s.failures.push({ op: 'logoff', errno: 5, sessionId: 2 }));
    const error = await expectWtsError(ctx.client.logoff(2), {
      code: 'ERROR_ACCESS_DENIED',
      errno: 5,
      syscall: 'WTSLogoffSession',
      sessionId: 2,
    });
    expect(error.message).toMatch(/elevated/);
    expect((await ctx.client.listSessions()).map((s) => s.id)).toContain(2);
  });

  it('refuses logoff on an unreachable server at the re-read, before WTSLogoffSession', async () => {
    await expectWtsError(ctx.client.logoff(2, { server: 'down.contoso.test' }), {
      code: 'RPC_S_SERVER_UNAVAILABLE',
      errno: 1722,
      syscall: 'WTSQuerySessionInformationW',
      sessionId: 2,
      server: 'down.contoso.test',
    });
    expect(await ctx.fixture.actions()).toEqual([]);
  });

  it('asks first and signs out only on Yes', async () => {
    await ctx.load((s) => s.answers.push({ sessionId: 2, answer: 'yes' }, { sessionId: 4, answer: 'no' }));
    const { client, fixture } = ctx;
    const ask = { message: 'Sign out now to free resources?', timeoutSeconds: 90 };
    expect(await client.logoff(2, { ask })).toEqual({
      sessionId: 2,
      server: null,
      outcome: 'signedOut',
      answer: 'yes',
    });
    expect(await client.logoff(4, { ask })).toEqual({ sessionId: 4, server: null, outcome: 'declined', answer: 'no' });
    const question = {
      op: 'sendMessage',
      server: null,
      title: 'Sign out',
      message: ask.message,
      buttons: 'yesNo',
      icon: 'question',
      timeoutSeconds: 90,
      wait: true,
    };
    expect(await fixture.actions()).toEqual([
      { ...question, sessionId: 2 },
      { op: 'logoff', server: null, sessionId: 2, wait: false },
      { ...question, sessionId: 4 },
    ]);
  });

  it('keeps the session when the question times out, unless onTimeout says logoff', async () => {
    const { client } = ctx;
    const ask = { message: 'Sign out?', timeoutSeconds: 5 };
    expect((await client.logoff(2, { ask })).outcome).toBe('timedOut');
    expect(await client.getSession(2)).not.toBeNull();
    expect(await client.logoff(2, { ask: { ...ask, onTimeout: 'logoff' } })).toMatchObject({
      outcome: 'signedOut',
      answer: 'timeout',
    });
    expect(await client.getSession(2)).toBeNull();
  });

  it('rejects bad arguments before anything reaches Windows', async () => {
    const { client, fixture } = ctx;
    const bad: unknown[] = [NaN, -1, 1.5, '3', 2 ** 32, 0xfffffffe, 0xffffffff, undefined, null, {}, [], 3n, Infinity];
    for (const id of bad) {
      const error = await client.logoff(id as number).catch((e: unknown) => e);
      expect(error, `logoff(${String(id)})`).toSatisfy((e) => e instanceof TypeError || e instanceof RangeError);
    }
    await expect(client.logoff(2, { wait: 'yes' } as never)).rejects.toThrow(TypeError);
    await expect(client.logoff(2, { server: 42 } as never)).rejects.toThrow(TypeError);
    await expect(client.logoff(2, { server: 'ts01\0evil' })).rejects.toThrow(RangeError);
    await expect(client.logoff(2, 'fast' as never)).rejects.toThrow(TypeError);
    await expect(client.logoff(2, { ask: { message: '' } })).rejects.toThrow(TypeError);
    await expect(client.logoff(2, { ask: { message: 'x', onTimeout: 'maybe' } } as never)).rejects.toThrow(RangeError);
    await expect(client.logoff(2, { expect: { logonTime: 'yesterday' } } as never)).rejects.toThrow(TypeError);
    await expect(client.getSession(-5)).rejects.toThrow(RangeError);
    expect(await fixture.actions()).toEqual([]);
    expect((await client.listSessions()).map((s) => s.id)).toContain(2);
  });
}
