import { isIPv4 } from 'node:net';

const AF_INET = 2;
const AF_INET6 = 23;

/**
 * Formats the client address of a `WTSCLIENTW` (WTSClientInfo) as text.
 *
 * `raw` is the struct's `ClientAddress` member as bytes (31 USHORTs). Windows documents two forms: for AF_INET the
 * array holds the address as a UTF-16 string ("192.0.2.7"), for AF_INET6 the 16 address bytes. Other families
 * (and an empty or malformed address) give `null`.
 */
export function formatClientAddress(family: number, raw: Uint8Array): string | null {
  if (family === AF_INET) {
    const end = raw.length - (raw.length % 2);
    let text = '';
    for (let i = 0; i < end; i += 2) {
      const unit = raw[i]! | (raw[i + 1]! << 8);
      if (unit === 0) break;
      text += String.fromCharCode(unit);
    }
    return isIPv4(text) ? text : null;
  }
  if (family === AF_INET6 && raw.length >= 16) {
    const bytes = raw.subarray(0, 16);
    if (bytes.every((b) => b === 0)) return null;
    const groups: number[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
    return compressIPv6(groups);
  }
  return null;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (2+) of zero groups as `::`. */
function compressIPv6(groups: number[]): string {
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < groups.length && groups[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
