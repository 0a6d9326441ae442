import { describe, expect, it } from 'vitest';
import { formatClientAddress } from '../../lib/client-address.js';

const utf16 = (text: string) => {
  const raw = new Uint8Array(62);
  raw.set(Buffer.from(text, 'utf16le'));
  return raw;
};
const bytes = (...values: number[]) => {
  const raw = new Uint8Array(62);
  raw.set(values);
  return raw;
};

describe('formatClientAddress (WTSCLIENTW.ClientAddress)', () => {
  it('reads AF_INET as the UTF-16 text Windows puts there', () => {
    expect(formatClientAddress(2, utf16('192.0.2.15'))).toBe('192.0.2.15');
    expect(formatClientAddress(2, utf16('255.255.255.255'))).toBe('255.255.255.255');
  });
  it('rejects AF_INET content that is not an IPv4 address', () => {
    expect(formatClientAddress(2, utf16('not-an-ip'))).toBeNull();
    expect(formatClientAddress(2, bytes(0, 0, 192, 168, 0, 1))).toBeNull();
  });
  it('formats AF_INET6 bytes as RFC 5952 text', () => {
    expect(formatClientAddress(23, bytes(0x20, 0x01, 0x0d, 0xb8, ...Array<number>(11).fill(0), 7))).toBe('2001:db8::7');
    expect(formatClientAddress(23, bytes(...Array<number>(15).fill(0), 1))).toBe('::1');
    expect(formatClientAddress(23, bytes(0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4))).toBe('fe80::1:2:3:4');
    expect(formatClientAddress(23, bytes(0, 1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 4))).toBe('1:0:2::3:0:4');
  });
  it('gives null for no address and other families', () => {
    expect(formatClientAddress(0, bytes())).toBeNull();
    expect(formatClientAddress(23, bytes())).toBeNull();
    expect(formatClientAddress(6, utf16('1.2.3.4'))).toBeNull();
  });
});
