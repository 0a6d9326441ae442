import { describe, expect, it } from 'vitest';
import { checkBoolean, checkOptions, checkServer, checkSessionId, MAX_SESSION_ID } from '../../lib/validate.js';

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
