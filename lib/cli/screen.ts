// A terminal screen that redraws only the lines that changed since the last frame, and everything after a resize.
import { printable } from './printable.js';

/** The terminal a live view draws on: a TTY stream with its size (Node's tty.WriteStream). */
export interface TerminalOut extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

const ESC = '\x1b[';

/**
 * Draws frames (arrays of lines) on `out`: the first in full on a cleared screen, then only the lines that differ
 * from what is on the screen, each cut to the terminal's width and the frame to its height. `resize()` forgets the
 * screen, so the next frame is drawn in full at the new size.
 */
export class Screen {
  private shown: string[] = [];
  private cleared = false;

  constructor(private readonly out: TerminalOut) {}

  /** Hides the cursor; {@link Screen.close} shows it again. */
  open(): void {
    this.out.write(`${ESC}?25l`);
  }

  draw(frame: readonly string[]): void {
    const width = Math.max(1, this.out.columns ?? 80);
    const height = Math.max(1, this.out.rows ?? 24);
    const lines = frame.slice(0, height).map((line) => printable(line).slice(0, width));
    let text = this.cleared ? '' : `${ESC}2J`;
    const previous = this.cleared ? this.shown : [];
    for (let i = 0; i < Math.max(lines.length, previous.length); i++) {
      const line = lines[i] ?? '';
      if (this.cleared && line === previous[i]) continue;
      // Row i + 1, the line, then clear what an older, longer line left to its right.
      text += `${ESC}${i + 1};1H${line}${ESC}K`;
    }
    if (text) this.out.write(text);
    this.shown = lines;
    this.cleared = true;
  }

  /** The terminal changed size: the next frame is drawn in full. */
  resize(): void {
    this.cleared = false;
  }

  /** Leaves the cursor below the last line drawn, visible. */
  close(): void {
    this.out.write(`${ESC}${this.shown.length + 1};1H${ESC}?25h`);
  }
}
