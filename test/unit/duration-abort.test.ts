import { describe, expect, it } from 'vitest';
import { keepAliveWhile, raceAbort } from '../../lib/abort.js';
import { formatDuration, parseDuration } from '../../lib/duration.js';

const MIN = 60_000;

describe('parseDuration', () => {
  it('reads ms and texts with units ms, s, m, h, d, in any case, with spaces between parts', () => {
    const table: [unknown, number][] = [
      [0, 0],
      [1500, 1500],
      ['250ms', 250],
      ['90s', 90_000],
      ['45m', 45 * MIN],
      [' 2H ', 2 * 60 * MIN],
      ['1d', 24 * 60 * MIN],
      ['1h30m', 90 * MIN],
      ['1h 30m', 90 * MIN],
      ['1 h', 60 * MIN],
      ['1 h 30 m', 90 * MIN],
      ['1.5h', 90 * MIN],
      ['0.25s', 250],
    ];
    for (const [value, ms] of table) expect(parseDuration(value, 'x'), String(value)).toBe(ms);
  });

  it('refuses what it cannot read, naming the option and what it got', () => {
    for (const text of [
      '',
      'h',
      '1x',
      '1h30',
      '1.h',
      '1..5h',
      'h1',
      '1hh',
      '-1h',
      '1h-30m',
      '1 h x',
      '1 5h',
      '1h 3 0m',
    ]) {
      expect(() => parseDuration(text, 'options.after'), JSON.stringify(text)).toThrow(
        new RangeError(`options.after must look like '90s', '45m', '2h', '1d' or '1h30m', got ${JSON.stringify(text)}`),
      );
    }
    expect(() => parseDuration(-1, 'options.after')).toThrow(
      new RangeError('options.after must be a finite number of ms >= 0, got -1'),
    );
    expect(() => parseDuration(Infinity, 'options.after')).toThrow(RangeError);
    expect(() => parseDuration(true, 'options.after')).toThrow(
      new TypeError("options.after must be a number of ms or a text like '2h', got boolean"),
    );
  });
});

describe('formatDuration', () => {
  it('prints idle times as query user does', () => {
    const table: [number | null, string][] = [
      [null, '-'],
      [0, '.'],
      [59_999, '.'],
      [MIN, '1m'],
      [59 * MIN, '59m'],
      [60 * MIN, '1h 0m'],
      [125 * MIN, '2h 5m'],
      [24 * 60 * MIN, '1d 0h'],
      [(3 * 24 + 4) * 60 * MIN + 59 * MIN, '3d 4h'],
    ];
    for (const [ms, text] of table) expect(formatDuration(ms), String(ms)).toBe(text);
  });
});

describe('raceAbort and keepAliveWhile', () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

  it('rejects at once with an AbortError when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort('why');
    const never = new Promise<number>(() => undefined);
    await expect(raceAbort(never, controller.signal)).rejects.toMatchObject({ name: 'AbortError', code: 'ABORT_ERR' });
  });

  it('settles as the promise when the signal does not abort, and passes a rejection through', async () => {
    const controller = new AbortController();
    expect(await raceAbort(Promise.resolve(4), controller.signal)).toBe(4);
    const failure = new Error('x');
    await expect(raceAbort(Promise.reject(failure), controller.signal)).rejects.toBe(failure);
  });

  it('holds the event loop open while the promise is pending, until it settles or the signal aborts', async () => {
    const before = timers();
    let resolve!: () => void;
    const held = keepAliveWhile(new Promise<void>((r) => (resolve = r)));
    expect(timers()).toBe(before + 1);
    resolve();
    await held;
    expect(timers()).toBe(before);

    const controller = new AbortController();
    const abandoned = keepAliveWhile(new Promise<void>(() => undefined), controller.signal);
    expect(timers()).toBe(before + 1);
    controller.abort();
    expect(timers()).toBe(before);
    void abandoned;
  });
});
