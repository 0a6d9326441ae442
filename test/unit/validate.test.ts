import { describe, expect, it } from 'vitest';
import {
  checkBoolean,
  checkConcurrency,
  checkOptions,
  checkServer,
  checkSessionId,
  checkSignal,
  describe as describeValue,
  MAX_SESSION_ID,
  optionalString,
} from '../../lib/validate.js';

describe('checkSessionId', () => {
  it('accepts integers from 0 to 0xFFFFFFFD', () => {
    for (const id of [0, 1, 65536, MAX_SESSION_ID]) expect(checkSessionId(id)).toBe(id);
    expect(MAX_SESSION_ID).toBe(4294967293);
  });

  it('rejects non-numbers with a TypeError naming what it got', () => {
    for (const value of ['3', undefined, null, {}, [], 3n, true, Symbol('x')]) {
      expect(() => checkSessionId(value)).toThrow(TypeError);
    }
    expect(() => checkSessionId('3')).toThrow(/got the string "3"/);
  });

  it('rejects numbers that are not session ids with a RangeError', () => {
    // 0xFFFFFFFE and 0xFFFFFFFF are WTS_ANY_SESSION and WTS_CURRENT_SESSION: they would act on other sessions.
    for (const value of [NaN, -1, -0.5, 1.5, 2 ** 32, 0xfffffffe, 0xffffffff, Infinity, -Infinity]) {
      expect(() => checkSessionId(value), String(value)).toThrow(RangeError);
    }
  });
});

describe('checkServer', () => {
  it('maps nothing to the local machine', () => {
    for (const value of [undefined, null]) expect(checkServer(value)).toBeNull();
  });
  it('refuses an empty or blank name instead of reading it as this machine', () => {
    for (const value of ['', ' ', '\t', ' \n '])
      expect(() => checkServer(value), JSON.stringify(value)).toThrow(TypeError);
    for (const value of [' ts01', 'ts01 ', 'ts 01']) expect(() => checkServer(value), value).toThrow(RangeError);
  });
  it('passes a host name through', () => {
    expect(checkServer('ts01.contoso.test')).toBe('ts01.contoso.test');
  });
  it('rejects other types, NUL characters and absurd lengths', () => {
    expect(() => checkServer(42)).toThrow(TypeError);
    expect(() => checkServer('a\0b')).toThrow(RangeError);
    expect(() => checkServer('x'.repeat(256))).toThrow(RangeError);
  });
});

describe('checkOptions and checkBoolean', () => {
  it('accepts undefined and objects only', () => {
    expect(checkOptions(undefined)).toEqual({});
    expect(checkOptions({ wait: true })).toEqual({ wait: true });
    for (const value of [null, 1, 'x', []]) expect(() => checkOptions(value)).toThrow(TypeError);
  });
  it('gives the default for undefined and rejects non-booleans', () => {
    expect(checkBoolean(undefined, 'wait', false)).toBe(false);
    expect(checkBoolean(true, 'wait', false)).toBe(true);
    expect(() => checkBoolean(1, 'options.wait', false)).toThrow(/options.wait must be a boolean/);
  });
});

describe('the words error messages use for what they got', () => {
  it('names each kind of value, and shortens a long string', () => {
    const table: [unknown, string][] = [
      ['ts01', 'the string "ts01"'],
      ['x'.repeat(40), `the string "${'x'.repeat(40)}"`],
      ['x'.repeat(41), `the string "${'x'.repeat(40)}…"`],
      [12n, 'the bigint 12n'],
      [null, 'null'],
      [[1], 'an array'],
      [{ a: 1 }, 'an object'],
      [Symbol('s'), 'Symbol(s)'],
      [() => 1, 'a function'],
      [1.5, 'the number 1.5'],
      [false, 'the boolean false'],
      [undefined, 'undefined'],
    ];
    for (const [value, words] of table) expect(describeValue(value)).toBe(words);
  });

  it('puts them, with the argument’s name, in the messages', () => {
    expect(() => checkSessionId(null)).toThrow('sessionId must be a number (an integer session id), got null');
    expect(() => checkSessionId(-1)).toThrow('sessionId must be an integer from 0 to 4294967293, got -1');
    expect(() => checkOptions(7)).toThrow('options must be an object, got the number 7');
    expect(() => checkServer('   ')).toThrow(
      'options.server must name a host, got the string "   "; omit it (or pass null) for this machine',
    );
    expect(() => checkServer('ts 01')).toThrow('options.server must not contain white space, got the string "ts 01"');
    expect(() => checkServer(true)).toThrow('options.server must be a string, got the boolean true');
    expect(() => checkServer('x'.repeat(256))).toThrow('options.server must be at most 255 characters, got 256');
    expect(checkServer('x'.repeat(255))).toBe('x'.repeat(255));
    expect(() => checkServer('ts01\0evil')).toThrow('options.server must not contain NUL characters');
  });
});

describe('checkSignal, checkConcurrency and optionalString', () => {
  it('takes an AbortSignal or nothing', () => {
    const signal = new AbortController().signal;
    expect(checkSignal(signal)).toBe(signal);
    expect(checkSignal(undefined)).toBeUndefined();
    expect(() => checkSignal({ aborted: false })).toThrow(new TypeError('options.signal must be an AbortSignal'));
    expect(() => checkSignal(null, 'options.ask.signal')).toThrow('options.ask.signal must be an AbortSignal');
  });

  it('takes a concurrency from 1 to 256, the default when absent', () => {
    expect(checkConcurrency(undefined, 8)).toBe(8);
    for (const n of [1, 2, 256]) expect(checkConcurrency(n, 8)).toBe(n);
    expect(() => checkConcurrency('4', 8)).toThrow(new TypeError('options.concurrency must be a number'));
    for (const n of [0, 257, 1.5, NaN, -4]) {
      expect(() => checkConcurrency(n, 8), String(n)).toThrow(
        new RangeError(`options.concurrency must be an integer from 1 to 256, got ${n}`),
      );
    }
  });

  it('takes a string, null or nothing', () => {
    expect([optionalString(undefined, 'x'), optionalString(null, 'x'), optionalString('', 'x')]).toEqual([
      undefined,
      null,
      '',
    ]);
    expect(() => optionalString(3, 'options.expect.userName')).toThrow(
      new TypeError('options.expect.userName must be a string or null'),
    );
  });
});
