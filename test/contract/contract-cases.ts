import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionsClient } from '../../lib/client.js';
import { WtsError } from '../../lib/errors.js';
import { baseScenario, expectedSession, type ContractFixture, type Scenario } from './scenario.js';

/** Expects `promise` to reject with a WtsError carrying exactly these fields. */
async function expectWtsError(
  promise: Promise<unknown>,
  fields: { code: string; errno: number; syscall: string; sessionId?: number; server?: string },
): Promise<WtsError> {
  const error = await promise.then(
    () => expect.fail('expected a WtsError'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WtsError);
  const wts = error as WtsError;
  expect({
    code: wts.code,
    errno: wts.errno,
    syscall: wts.syscall,
    sessionId: wts.sessionId,
    server: wts.server,
  }).toEqual({ sessionId: undefined, server: undefined, ...fields });
  return wts;
}

/**
 * The behaviour every backend must have, run against the mock here and against the native addon (under Wine, with
 * the scripted wtsapi32.dll) by the native suite. Cases are written against the public client only.
 */
export function contractSuite(name: string, fixture: () => ContractFixture): void {
  describe(`contract: ${name}`, () => {
    let scenario: Scenario;
    let client: SessionsClient;
    let f: ContractFixture;
    const load = async (change?: (s: Scenario) => void) => {
      change?.(scenario);
      client = await f.load(scenario);
    };

    beforeEach(async () => {
      f = fixture();
      scenario = baseScenario();
      await load();
    });

    afterEach(async () => {
      await f.verify?.();
    });

    it('lists every session with every field, in id order', async () => {
      const sessions = await client.listSessions();
      expect(sessions).toEqual(scenario.sessions.map((s) => expectedSession(s, scenario)));
    });

    it('keeps accented and non-BMP names intact', async () => {
      const sessions = await client.listSessions();
      expect(sessions.find((s) => s.id === 1)?.userName).toBe('Zoë Ångström');
      expect(sessions.find((s) => s.id === 3)?.userName).toBe('𝒸𝒶𝓇𝑜𝓁😀');
      expect(sessions.find((s) => s.id === 3)?.domain).toBe('ＷＯＲＫ');
    });

    it('measures idle time on the server clock, from the disconnect for a disconnected session', async () => {
      const byId = new Map((await client.listSessions()).map((s) => [s.id, s]));
      expect(byId.get(1)?.idleMs).toBe(30_000);
      expect(byId.get(2)?.idleMs).toBe(20 * 60_000);
      expect(byId.get(3)?.idleMs).toBe(2 * 3_600_000);
      expect(byId.get(65536)?.idleMs).toBeNull();
    });

    it('marks only the caller session as current', async () => {
      const current = (await client.listSessions()).filter((s) => s.isCurrent).map((s) => s.id);
      expect(current).toEqual([scenario.currentSessionId]);
      expect(await client.currentSessionId()).toBe(scenario.currentSessionId);
      expect((await client.getSession(scenario.currentSessionId))?.isCurrent).toBe(true);
      expect((await client.getSession(2))?.isCurrent).toBe(false);
    });

    it('gets one session by id, and null for an id with no session', async () => {
      expect(await client.getSession(2)).toEqual(expectedSession(scenario.sessions[2]!, scenario));
      expect(await client.getSession(3)).toEqual(expectedSession(scenario.sessions[3]!, scenario));
      expect(await client.getSession(42)).toBeNull();
    });

    it('leaves out a session that ended during the listing', async () => {
      await load((s) => s.failures.push({ op: 'listSessions', errno: 7022, sessionId: 2 }));
      const ids = (await client.listSessions()).map((s) => s.id);
      expect(ids).toEqual(scenario.sessions.map((s) => s.id).filter((id) => id !== 2));
    });

    it('rejects the listing when a session query fails for another reason', async () => {
      await load((s) => s.failures.push({ op: 'listSessions', errno: 5, sessionId: 3 }));
      await expectWtsError(client.listSessions(), {
        code: 'ERROR_ACCESS_DENIED',
        errno: 5,
        syscall: 'WTSQuerySessionInformationW',
        sessionId: 3,
      });
    });

    it('rejects the listing when the enumeration fails', async () => {
      await load((s) => s.failures.push({ op: 'listSessions', errno: 259 }));
      await expectWtsError(client.listSessions(), {
        code: 'ERROR_NO_MORE_ITEMS',
        errno: 259,
        syscall: 'WTSEnumerateSessionsW',
      });
    });

    it('signs out exactly the session named, with the wait flag given', async () => {
      await client.logoff(3, { wait: true });
      await client.logoff(2);
      expect(await f.actions()).toEqual([
        { op: 'logoff', server: null, sessionId: 3, wait: true },
        { op: 'logoff', server: null, sessionId: 2, wait: false },
      ]);
      const ids = (await client.listSessions()).map((s) => s.id);
      expect(ids).toEqual([0, 1, 4, 65536]);
    });

    it('rejects logoff of a session that does not exist', async () => {
      await expectWtsError(client.logoff(42), {
        code: 'ERROR_CTX_WINSTATION_NOT_FOUND',
        errno: 7022,
        syscall: 'WTSLogoffSession',
        sessionId: 42,
      });
    });

    it('reports access denied on logoff with a hint to run elevated, and signs nobody out', async () => {
      await load((s) => s.failures.push({ op: 'logoff', errno: 5, sessionId: 2 }));
      const error = await expectWtsError(client.logoff(2), {
        code: 'ERROR_ACCESS_DENIED',
        errno: 5,
        syscall: 'WTSLogoffSession',
        sessionId: 2,
      });
      expect(error.message).toMatch(/elevated/);
      expect((await client.listSessions()).map((s) => s.id)).toContain(2);
    });

    it('answers for a remote server, with no session marked current there', async () => {
      const sessions = await client.listSessions({ server: 'ts01.contoso.test' });
      expect(sessions).toEqual(
        scenario.servers['ts01.contoso.test']!.map((s) => expectedSession(s, scenario, 'ts01.contoso.test')),
      );
      await client.logoff(1, { server: 'ts01.contoso.test' });
      expect(await f.actions()).toEqual([{ op: 'logoff', server: 'ts01.contoso.test', sessionId: 1, wait: false }]);
      // The local session 1 is untouched.
      expect(await client.getSession(1)).not.toBeNull();
    });

    it('rejects calls to an unreachable server with RPC_S_SERVER_UNAVAILABLE and the server name', async () => {
      await expectWtsError(client.listSessions({ server: 'down.contoso.test' }), {
        code: 'RPC_S_SERVER_UNAVAILABLE',
        errno: 1722,
        syscall: 'WTSEnumerateSessionsW',
        server: 'down.contoso.test',
      });
      await expectWtsError(client.logoff(2, { server: 'down.contoso.test' }), {
        code: 'RPC_S_SERVER_UNAVAILABLE',
        errno: 1722,
        syscall: 'WTSLogoffSession',
        sessionId: 2,
        server: 'down.contoso.test',
      });
      expect(await f.actions()).toEqual([
        { op: 'logoff', server: 'down.contoso.test', sessionId: 2, wait: false },
      ]);
    });

    it('rejects bad arguments before anything reaches Windows', async () => {
      const bad: unknown[] = [NaN, -1, 1.5, '3', 2 ** 32, 0xfffffffe, 0xffffffff, undefined, null, {}, [], 3n, Infinity];
      for (const id of bad) {
        const error = await client.logoff(id as number).catch((e: unknown) => e);
        expect(error, `logoff(${String(id)})`).toSatisfy((e) => e instanceof TypeError || e instanceof RangeError);
      }
      await expect(client.logoff(2, { wait: 'yes' } as never)).rejects.toThrow(TypeError);
      await expect(client.logoff(2, { server: 42 } as never)).rejects.toThrow(TypeError);
      await expect(client.logoff(2, { server: 'ts01\0evil' })).rejects.toThrow(RangeError);
      await expect(client.logoff(2, 'fast' as never)).rejects.toThrow(TypeError);
      await expect(client.getSession(-5)).rejects.toThrow(RangeError);
      expect(await f.actions()).toEqual([]);
      expect((await client.listSessions()).map((s) => s.id)).toContain(2);
    });
  });
}
