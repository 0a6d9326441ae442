import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SessionRefusedError, WtsError } from '../../lib/errors.js';
import { createMockBackend } from '../../lib/mock/index.js';
import { win32ErrorCode } from '../../lib/win32-errors.js';
import { WIN32_ERROR_TABLE } from '../helpers/win32-tables.js';

describe('the Win32 errors the WTS functions return, as winerror.h and FormatMessageW name them', () => {
  it.each(Object.entries(WIN32_ERROR_TABLE).map(([errno, [name, text]]) => [Number(errno), name, text] as const))(
    'errno %i is %s, with its English text when the system gives none',
    (errno, name, text) => {
      const error = new WtsError({ errno, syscall: 'WTSLogoffSession', sessionId: 4 });
      expect([error.code, error.errno]).toEqual([name, errno]);
      expect(error.message.startsWith(`WTSLogoffSession failed for session 4: ${text} (${name}, ${errno})`)).toBe(true);
    },
  );

  it('raises the same code and text from the mock, for every known errno (a scripted failure is never 0)', async () => {
    const mock = createMockBackend({ sessions: [{ id: 4, userName: 'dan' }] });
    expect(() => {
      mock.fail('logoff', 0);
    }).toThrow(RangeError);
    for (const [errno, [name, text]] of Object.entries(WIN32_ERROR_TABLE).filter(([errno]) => errno !== '0')) {
      mock.fail('logoff', Number(errno), { sessionId: 4 });
      const error = (await mock.logoff(4, false, null).catch((e: unknown) => e)) as WtsError;
      expect([error.code, error.errno, error.message.includes(text)], errno).toEqual([name, Number(errno), true]);
    }
  });

  it('names an unknown number by its value, with a generic text', () => {
    const error = new WtsError({ errno: 31337, syscall: 'WTSDisconnectSession' });
    expect(error.code).toBe('WIN32_ERROR_31337');
    expect(error.message).toBe('WTSDisconnectSession failed: Windows error 31337. (WIN32_ERROR_31337, 31337)');
  });
});

describe('WtsError hints and fields', () => {
  it('hints that TermService is missing for ERROR_CALL_NOT_IMPLEMENTED, and nothing for an error it cannot help', () => {
    const missing = new WtsError({ errno: 120, syscall: 'WTSEnumerateSessionsW' });
    expect(missing.hint).toBe('Remote Desktop Services (TermService) is not available on this system');
    expect(missing.message.endsWith(`. Hint: ${missing.hint}`)).toBe(true);
    for (const errno of [2, 87, 7022, 1722]) {
      expect(new WtsError({ errno, syscall: 'WTSLogoffSession' }).hint, String(errno)).toBeUndefined();
    }
  });

  it('hints at the causes the evidence names for boot, message size, permissions and remote client editions', () => {
    const hint = (errno: number, syscall: string, server?: string) => new WtsError({ errno, syscall, server }).hint;
    // Microsoft's WTSRegisterSessionNotificationEx page: RPC_S_INVALID_BINDING before TermSrvReadyEvent is set.
    expect(hint(1702, 'WTSEnumerateSessionsW')).toMatch(/not ready yet.*Global\\TermSrvReadyEvent/);
    // MS-TSTS 3.7.4.1.8: range(0, 1024) bytes for the message and for the title.
    expect(hint(1734, 'WTSSendMessageW')).toMatch(/1,024 bytes each .*511 UTF-16 characters/);
    // tsdiscon: the console session can't be disconnected (Server).
    expect(hint(7041, 'WTSDisconnectSession')).toMatch(/cannot disconnect the console session/);
    // MS-TSTS RpcWinStationEnumerate lists only what the caller may query; ncpa #1258 saw 259 as a plain user.
    expect(hint(259, 'WTSEnumerateSessionsW')).toMatch(/Query permission/);
    // The same number from another call is no permission problem the evidence knows of.
    expect(hint(259, 'WTSQuerySessionInformationW')).toBeUndefined();
    // A remote client edition refuses remote calls unless AllowRemoteRPC is 1; the local machine needs elevation only.
    expect(hint(5, 'WTSEnumerateSessionsW', 'pc01')).toMatch(
      /elevated.*pc01, if it runs a Windows client edition \(not Server\), answers remote calls only when AllowRemoteRPC is 1 under HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server$/,
    );
    expect(hint(5, 'WTSEnumerateSessionsW')).not.toMatch(/AllowRemoteRPC/);
    expect(hint(7045, 'WTSLogoffSession', 'pc01')).not.toMatch(/AllowRemoteRPC/);
  });

  it('names every ERROR_CTX_* code of MinGW-w64 winerror.h as the header does', () => {
    // A second source for the names besides Microsoft's error-code pages: the header the addon compiles against.
    const header = '/usr/share/mingw-w64/include/winerror.h';
    if (!existsSync(header)) {
      expect(process.env.CI, 'MinGW-w64 headers are installed by .ci/run').toBeUndefined();
      return;
    }
    const defined = [...readFileSync(header, 'utf8').matchAll(/#define (ERROR_CTX_\w+) __MSABI_LONG\((\d+)\)/g)];
    expect(defined.length).toBeGreaterThanOrEqual(39);
    for (const [, name, errno] of defined) expect(win32ErrorCode(Number(errno)), errno).toBe(name);
  });

  it('reports the local machine as no server, whether given as null, empty or absent', () => {
    for (const server of [null, '', undefined]) {
      const error = new WtsError({ errno: 87, syscall: 'WTSLogoffSession', server });
      expect(error.server, String(server)).toBeUndefined();
      expect(error.message).toBe('WTSLogoffSession failed: The parameter is incorrect. (ERROR_INVALID_PARAMETER, 87)');
    }
  });

  it('uses a blank system text as no text at all', () => {
    const error = new WtsError({ errno: 5, syscall: 'WTSLogoffSession', description: ' \r\n' });
    expect(error.message.startsWith('WTSLogoffSession failed: Access is denied. (ERROR_ACCESS_DENIED, 5)')).toBe(true);
  });

  it('is told apart from other errors and from values that are not objects', () => {
    expect(new WtsError({ errno: 5, syscall: 'x' }) instanceof WtsError).toBe(true);
    const branded = () => undefined;
    Object.assign(branded, { [Symbol.for('windows-sessions.WtsError')]: true });
    for (const value of [new Error('x'), undefined, 'ERROR_ACCESS_DENIED', { code: 'ERROR_ACCESS_DENIED' }, branded]) {
      expect(value instanceof WtsError).toBe(false);
    }
  });
});

describe('SessionRefusedError', () => {
  it('names the session, the server when there is one, the reason and the code', () => {
    const remote = new SessionRefusedError('ERR_OWN_SESSION', 3, 'ts01', 'it is the caller’s own session');
    expect(remote.message).toBe(
      'refused to act on session 3 on ts01: it is the caller’s own session (ERR_OWN_SESSION)',
    );
    expect(remote.server).toBe('ts01');
    const local = new SessionRefusedError('ERR_SESSION_NOT_FOUND', 8, null, 'it does not exist');
    expect(local.message).toBe('refused to act on session 8: it does not exist (ERR_SESSION_NOT_FOUND)');
    expect([local.server, local.name, local.detail]).toEqual([undefined, 'SessionRefusedError', 'it does not exist']);
  });
});
