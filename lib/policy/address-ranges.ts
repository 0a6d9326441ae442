import { BlockList, isIP } from 'node:net';

/** Parses trusted address ranges (CIDR or single addresses, IPv4 or IPv6); `name` is the field, for errors. */
export function addressRanges(entries: readonly string[], name: string): BlockList {
  const list = new BlockList();
  entries.forEach((entry, i) => {
    const field = `${name}[${i}]`;
    const [address = '', prefix, extra] = entry.split('/');
    const family = isIP(address);
    if (family === 0 || extra !== undefined) {
      throw new RangeError(`${field} must be an IPv4 or IPv6 address or CIDR range, got ${JSON.stringify(entry)}`);
    }
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(address, type);
      return;
    }
    const bits = Number(prefix);
    const max = family === 4 ? 32 : 128;
    if (!/^\d+$/.test(prefix) || bits > max) {
      throw new RangeError(`${field} must have a prefix length from 0 to ${max}, got ${JSON.stringify(entry)}`);
    }
    list.addSubnet(address, bits, type);
  });
  return list;
}

/** Whether an address (as the listing gives it) is in the ranges; an IPv4-mapped IPv6 address counts as IPv4. */
export function inRanges(ranges: BlockList, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return ranges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
