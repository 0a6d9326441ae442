/** 100-ns intervals between 1601-01-01 (the FILETIME epoch) and 1970-01-01 (the Unix epoch). */
const EPOCH_DIFFERENCE = 116444736000000000n;
/** The largest FILETIME a JavaScript Date can hold (Date's limit is ±8.64e15 ms around 1970). */
const MAX_DATE_FILETIME = EPOCH_DIFFERENCE + 8640000000000000n * 10000n;

/**
 * Converts a FILETIME (UTC, 100-ns units since 1601-01-01, as WTSINFOW's LARGE_INTEGER times hold it) to
 * milliseconds since 1970. `0` (and anything negative) means "no such time" and gives `null`, as does a value too
 * large for a Date.
 */
export function fileTimeToMs(fileTime: bigint): number | null {
  if (fileTime <= 0n || fileTime > MAX_DATE_FILETIME) return null;
  // Divide in bigint first: FILETIMEs exceed 2**53, so a double would lose the low digits.
  const diff = fileTime - EPOCH_DIFFERENCE;
  const ms = diff / 10000n;
  // bigint division truncates towards zero; floor so that times before 1970 round the same way as after.
  return Number(diff < 0n && diff % 10000n !== 0n ? ms - 1n : ms);
}
