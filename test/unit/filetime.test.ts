import { describe, expect, it } from 'vitest';
import { fileTimeToMs } from '../../lib/filetime.js';
import { msToFileTime } from '../helpers/win32-tables.js';

const fileTimeToDate = (fileTime: bigint) => {
  const ms = fileTimeToMs(fileTime);
  return ms === null ? null : new Date(ms);
};

describe('FILETIME conversion', () => {
  it('maps the Unix epoch and a known instant', () => {
    expect(fileTimeToMs(116444736000000000n)).toBe(0);
    // 2024-02-29T12:34:56.789Z, computed independently: (ms + 11644473600000) * 10000
    const ms = Date.UTC(2024, 1, 29, 12, 34, 56, 789);
    expect(fileTimeToMs(BigInt(ms + 11644473600000) * 10000n)).toBe(ms);
    expect(fileTimeToDate(BigInt(ms + 11644473600000) * 10000n)?.toISOString()).toBe('2024-02-29T12:34:56.789Z');
  });

  it('truncates sub-millisecond units without drifting (values exceed 2**53)', () => {
    const base = msToFileTime(Date.UTC(2030, 0, 1));
    expect(fileTimeToMs(base + 9999n)).toBe(Date.UTC(2030, 0, 1));
    expect(fileTimeToMs(base + 10000n)).toBe(Date.UTC(2030, 0, 1) + 1);
  });

  it('floors times before 1970', () => {
    expect(fileTimeToMs(116444736000000000n - 1n)).toBe(-1);
    expect(fileTimeToDate(1n)?.toISOString()).toBe('1601-01-01T00:00:00.000Z');
  });

  it('treats 0, negative and out-of-range values as "no time"', () => {
    expect(fileTimeToMs(0n)).toBeNull();
    expect(fileTimeToMs(-5n)).toBeNull();
    expect(fileTimeToDate(10n ** 20n)).toBeNull();
    expect(fileTimeToDate(0x7fffffffffffffffn)?.getUTCFullYear()).toBe(30828);
  });

  it('round-trips through msToFileTime', () => {
    for (const ms of [0, 1, 1_700_000_000_123, Date.UTC(1999, 11, 31, 23, 59, 59, 999)]) {
      expect(fileTimeToMs(msToFileTime(ms))).toBe(ms);
    }
  });
});
