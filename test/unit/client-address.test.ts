import { describe, expect, it } from 'vitest';
import { formatClientAddress } from '../../lib/client-address.js';

describe('formatClientAddress (the client address as the addon passes it)', () => {
  it('takes AF_INET text that is an IPv4 address', () => {
    expect(formatClientAddress(2, '192.0.2.15')).toBe('192.0.2.15');
    expect(formatClientAddress(2, '255.255.255.255')).toBe('255.255.255.255');
  });
  it('rejects AF_INET content that is not an IPv4 address', () => {
    expect(formatClientAddress(2, 'not-an-ip')).toBeNull();
    expect(formatClientAddress(2, '\u0000\u0000\u00c0\u00a8')).toBeNull();
    expect(formatClientAddress(2, '')).toBeNull();
    // Never a plausible wrong address: no leading zeros, no 0.0.0.0, nothing out of range.
    expect(formatClientAddress(2, '0.0.0.0')).toBeNull();
    expect(formatClientAddress(2, '010.1.2.3')).toBeNull();
    expect(formatClientAddress(2, '1.2.3.256')).toBeNull();
    expect(formatClientAddress(2, '1.2.3')).toBeNull();
  });
  it('formats AF_INET6 bytes (32 hex digits) as RFC 5952 text', () => {
    expect(formatClientAddress(23, '20010db8000000000000000000000007')).toBe('2001:db8::7');
    expect(formatClientAddress(23, '00000000000000000000000000000001')).toBe('::1');
    expect(formatClientAddress(23, 'fe800000000000000001000200030004')).toBe('fe80::1:2:3:4');
    expect(formatClientAddress(23, '00010000000200000000000300000004')).toBe('1:0:2::3:0:4');
    expect(formatClientAddress(23, '20010db8000100020003000400050006')).toBe('2001:db8:1:2:3:4:5:6');
    // RFC 5952 4.2.3: of two equally long runs of zeros, the first is shortened; one zero group is never `::`.
    expect(formatClientAddress(23, '00010000000000020000000000030004')).toBe('1::2:0:0:3:4');
    expect(formatClientAddress(23, '00010000000200030000000000000004')).toBe('1:0:2:3::4');
    expect(formatClientAddress(23, '20010db8000000000000000000000000')).toBe('2001:db8::');
    expect(formatClientAddress(23, '10000000000000000000000000000000')).toBe('1000::');
  });
  it('gives null for no address, malformed hex and other families', () => {
    expect(formatClientAddress(0, '')).toBeNull();
    expect(formatClientAddress(23, '0'.repeat(32))).toBeNull();
    expect(formatClientAddress(23, 'zz'.repeat(16))).toBeNull();
    expect(formatClientAddress(23, 'ab')).toBeNull();
    expect(formatClientAddress(23, `g${'0'.repeat(31)}1`)).toBeNull();
    expect(formatClientAddress(23, `${'0'.repeat(31)}1g`)).toBeNull();
    expect(formatClientAddress(23, `x${'0'.repeat(31)}1`)).toBeNull();
    expect(formatClientAddress(6, '1.2.3.4')).toBeNull();
  });
});
