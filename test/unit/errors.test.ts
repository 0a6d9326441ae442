import { describe, expect, it } from 'vitest';
import { WtsError } from '../../lib/errors.js';
import { win32ErrorCode } from '../../lib/win32-errors.js';

describe('WtsError', () => {
  it('carries code, errno, syscall, sessionId and server', () => {
    const error = new WtsError({ errno: 5, syscall: 'WTSLogoffSession', sessionId: 3, server: 'ts01' });
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(WtsError);
    expect(error).toMatchObject({
      name: 'WtsError',
      code: 'ERROR_ACCESS_DENIED',
      errno: 5,
      syscall: 'WTSLogoffSession',
      sessionId: 3,
      server: 'ts01',
    });
    expect(error.message).toBe(
      `WTSLogoffSession failed for session 3 on ts01: Access is denied. (ERROR_ACCESS_DENIED, 5). Hint: ${error.hint}`,
    );
    expect(error.hint).toMatch(/elevated/);
  });

  it('prefers the system text and omits what does not apply', () => {
    const error = new WtsError({
      errno: 1722,
      syscall: 'WTSEnumerateSessionsW',
      description: 'Le serveur RPC n’est pas disponible.\r\n',
    });
    expect(error.message).toBe(
      'WTSEnumerateSessionsW failed: Le serveur RPC n’est pas disponible. (RPC_S_SERVER_UNAVAILABLE, 1722)',
    );
    expect(error.sessionId).toBeUndefined();
    expect(error.server).toBeUndefined();
    expect(error.hint).toBeUndefined();
  });

  it('hints at reachability for RPC errors on a remote server', () => {
    expect(new WtsError({ errno: 1722, syscall: 'WTSEnumerateSessionsW', server: 'ts01' }).hint).toMatch(
      /ts01.*reachable/,
    );
  });

  it('gives unknown numbers a documented fallback code, and 0 a clear one', () => {
    expect(win32ErrorCode(31337)).toBe('WIN32_ERROR_31337');
    const zero = new WtsError({
      errno: 0,
      syscall: 'WTSQuerySessionInformationW',
      description: 'The operation completed successfully.',
    });
    expect(zero.code).toBe('ERROR_UNSPECIFIED');
    expect(zero.message).not.toMatch(/successfully/);
  });

  it('is recognised across copies of the class (ESM and CommonJS builds)', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('windows-sessions.WtsError')]: true });
    expect(foreign instanceof WtsError).toBe(true);
    expect(new Error('x') instanceof WtsError).toBe(false);
    expect((null as unknown as object) instanceof WtsError).toBe(false);
  });
});
