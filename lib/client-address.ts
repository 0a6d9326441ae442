const AF_INET = 2;
const AF_INET6 = 23;

/**
 * Formats a client address as the addon reports it (native/client_address.h has already read Windows's forms):
 * AF_INET as dotted-decimal text, AF_INET6 as its 16 bytes in 32 hex digits. Anything else (another family, an
 * empty, malformed or all-zero address) gives `null`: no address is better than a wrong one.
 */
export function formatClientAddress(family: number, raw: string): string | null {
  if (family === AF_INET) return isDottedQuad(raw) ? raw : null;
  if (family === AF_INET6 && /^[0-9a-f]{32}$/.test(raw)) {
    if (/^0+$/.test(raw)) return null;
    const groups: number[] = [];
    for (let i = 0; i < 32; i += 4) groups.push(parseInt(raw.slice(i, i + 4), 16));
    return compressIPv6(groups);
  }
  return null;
}

/** Four decimal octets without leading zeros, not 0.0.0.0. */
function isDottedQuad(text: string): boolean {
  const parts = text.split('.');
  return (
    parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255) && text !== '0.0.0.0'
  );
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
