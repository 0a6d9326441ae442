import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VANISHED_SESSION_ERRNOS, win32ErrorCode } from '../../lib/win32-errors.js';

describe('the "session ended" errors', () => {
  it('are the same in the addon (native/win32_failure.h) and in the mock (lib/win32-errors.ts)', () => {
    const header = readFileSync(new URL('../../native/win32_failure.h', import.meta.url), 'utf8');
    const body = /bool IsVanishedSession\(DWORD code\) \{([^}]*)\}/.exec(header)?.[1] ?? '';
    const native = [...body.matchAll(/code == (\w+)/g)].map((m) => m[1]).sort();
    const mock = [...VANISHED_SESSION_ERRNOS].map(win32ErrorCode).sort();
    expect(native).toEqual(mock);
  });

  it('are exactly ERROR_CTX_WINSTATION_NOT_FOUND (7022), per the evidence', () => {
    // docs/windows-behaviour.md: 7007 comes from a hung session in the Down state that is still there (Cassia #36,
    // #60), and 87 and 2 from sessions that are fine: none of them means "gone".
    expect([...VANISHED_SESSION_ERRNOS].sort()).toEqual([7022]);
  });
});
