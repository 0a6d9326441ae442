import { isIP } from 'node:net';
import type { PolicyWarning } from './policy-types.js';

const MAPPED = 0xffff_0000_0000n; // ::ffff:0:0, the start of IPv4-mapped IPv6 (RFC 4291 2.5.5.2)

function ipv4Bits(address: string): bigint {
  return address.split('.').reduce((n, part) => (n << 8n) | BigInt(part), 0n);
}

/** An IPv6 address as a 128-bit number (`::` and a trailing dotted IPv4 part included). */
function ipv6Bits(address: string): bigint {
  let text = address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/u.exec(text);
  if (dotted) {
    const v4 = ipv4Bits(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((n, g) => (n << 16n) | BigInt(`0x${g}`), 0n);
}

/**
 * Warnings for trusted ranges that trust far more than their writer can have meant: every IPv4 client
 * (`0.0.0.0/0`, `::/0`, or any IPv6 range holding `::ffff:0:0/96`, since an IPv4-mapped address counts as IPv4), or a
 * range written with host bits set (`10.0.0.1/8` is all of 10.0.0.0/8, where `10.0.0.1/32` was likely meant).
 * `entries` have been checked by `addressRanges` already.
 */
export function rangeWarnings(entries: readonly string[], name: string): PolicyWarning[] {
  const warnings: PolicyWarning[] = [];
  entries.forEach((entry, i) => {
    const field = `${name}[${i}]`;
    const [address = '', prefix] = entry.split('/');
    if (prefix === undefined) return;
    const v4 = isIP(address) === 4;
    const width = v4 ? 32n : 128n;
    const bits = BigInt(prefix);
    const value = v4 ? ipv4Bits(address) : ipv6Bits(address);
    const hostMask = (1n << (width - bits)) - 1n;
    const say = (message: string) => warnings.push({ field, message: `${field} ${JSON.stringify(entry)} ${message}` });
    if (bits === 0n) say('trusts every client address');
    else if (!v4 && bits <= 96n && value >> (width - bits) === MAPPED >> (width - bits)) {
      say('holds ::ffff:0:0/96, every IPv4-mapped address: it trusts every IPv4 client');
    }
    if ((value & hostMask) !== 0n) {
      say(`has host bits set: it trusts the whole /${prefix} range; for one address write it without a prefix`);
    }
  });
  return warnings;
}
