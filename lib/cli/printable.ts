/**
 * Text for a terminal, from names a user or a client chose: control characters (C0, DEL, C1) and the
 * bidirectional-override marks are shown as escapes, never obeyed, so a client name with a line break cannot forge a
 * table row, and one with an escape sequence cannot repaint the screen. JSON output escapes them already.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = c.charCodeAt(0);
    return named[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
  });
}
