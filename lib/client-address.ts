import { isIPv4 } from 'node:net';

const AF_INET = 2;
const AF_INET6 = 23;

/**
 * Formats the client address of a `WTSCLIENTW` (WTSClientInfo) as text.
 *
 * Windows documents two forms of its `ClientAddress` member: for AF_INET the address as UTF-16 text
 * ("192.0.2.7"), for AF_INET6 the 16 address bytes, which the addon passes on as 32 hex digits. Anything else (another
 * family, an empty or malformed address) gives `null`.
 */
export function formatClientAddress(family: number, raw: string): string | null {
  if (family === AF_INET) return isIPv4(raw) ? raw : null;
  if (family === AF_INET6 && /^[0-9a-f]{32}$/.test(raw)) {
    if (/^0+$/.test(raw)) return null;
    const groups: number[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(parseInt(raw.slice(i, i + 4), 16));
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
