/**
 * How long a message box's text may be. Windows sends it over RPC (MS-TSTS 3.7.4.1.8, RpcWinStationSendMessage),
 * whose `[in, range(0, 1024)]` bounds the message and the title, each in bytes: a longer one fails inside Windows with
 * RPC_S_INVALID_BOUND (1734). In UTF-16 that is 512 code units; one is left for a terminator, which the page does not
 * say whether it counts.
 */
export const MAX_MESSAGE_CHARS = 511;

/** Titles are kept shorter still: a title bar shows far less, and 256 is what the package has always accepted. */
export const MAX_TITLE_CHARS = 256;

/**
 * Checks a message or title: a string of at most `max` UTF-16 code units (JavaScript's `length`). The error names the
 * limit in those units and where it comes from, so that it is refused here, before any call, never by Windows.
 */
export function checkMessageText(value: unknown, name: string, max: number): string {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  if (value.length > max) {
    throw new RangeError(
      `${name} must be at most ${max} UTF-16 characters (Windows takes 1,024 bytes at most), got ${value.length}`,
    );
  }
  return value;
}

/**
 * A text cut to `max` UTF-16 code units with an ellipsis, for a policy's notice whose placeholders made it longer
 * than Windows accepts: the user still sees why, and the notice is never refused. A surrogate pair is never split.
 */
export function fitMessageText(text: string, max: number = MAX_MESSAGE_CHARS): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1; // a high surrogate whose pair would be cut off
  return `${text.slice(0, end)}…`;
}
