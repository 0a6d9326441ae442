// Win32 values written out by hand from winuser.h, wtsapi32.h, winerror.h and the WTS pages, so that tests check
// lib/ and the addon against an oracle of their own: a wrong constant in lib/ fails a test instead of agreeing
// with itself. Nothing here is imported from lib/.
import type { MessageAnswer, MessageButtons, MessageIcon, SessionEventType, SessionState } from '../../lib/types.js';

/** WTS_CONNECTSTATE_CLASS. */
export const WTS_CONNECTSTATE: Readonly<Record<SessionState, number>> = {
  active: 0,
  connected: 1,
  connectQuery: 2,
  shadow: 3,
  disconnected: 4,
  idle: 5,
  listen: 6,
  reset: 7,
  down: 8,
  init: 9,
};

/** WTSClientProtocolType values. */
export const WTS_PROTOCOL = { console: 0, ica: 1, rdp: 2 } as const;

/** WTS_INFO_CLASS values this package queries. */
export const WTS_INFO_CLASS = {
  WTSUserName: 5,
  WTSDomainName: 7,
  WTSClientAddress: 14,
  WTSClientProtocolType: 16,
  WTSClientInfo: 23,
  WTSSessionInfo: 24,
  WTSSessionInfoEx: 25,
} as const;

/** WTSINFOEX_LEVEL1_W.SessionFlags values (the WTSINFOEX_LEVEL1 page). */
export const WTS_SESSIONSTATE = { LOCK: 0, UNLOCK: 1, UNKNOWN: 0xffffffff } as const;

/** MB_OK … MB_CANCELTRYCONTINUE. */
export const MB_BUTTONS: Readonly<Record<MessageButtons, number>> = {
  ok: 0x0,
  okCancel: 0x1,
  abortRetryIgnore: 0x2,
  yesNoCancel: 0x3,
  yesNo: 0x4,
  retryCancel: 0x5,
  cancelTryContinue: 0x6,
};

/** MB_ICONHAND (error), MB_ICONQUESTION, MB_ICONEXCLAMATION (warning), MB_ICONASTERISK (information). */
export const MB_ICONS: Readonly<Record<MessageIcon, number>> = {
  none: 0x00,
  error: 0x10,
  question: 0x20,
  warning: 0x30,
  information: 0x40,
};

/** IDOK … IDCONTINUE, IDTIMEOUT, IDASYNC. */
export const ID_ANSWERS: Readonly<Record<MessageAnswer, number>> = {
  ok: 1,
  cancel: 2,
  abort: 3,
  retry: 4,
  ignore: 5,
  yes: 6,
  no: 7,
  tryAgain: 10,
  continue: 11,
  timeout: 32000,
  async: 32001,
};

/** WTS_EVENT_CREATE … WTS_EVENT_LICENSE. */
export const WTS_EVENT: Readonly<Record<SessionEventType, number>> = {
  create: 0x1,
  delete: 0x2,
  rename: 0x4,
  connect: 0x8,
  disconnect: 0x10,
  logon: 0x20,
  logoff: 0x40,
  stateChange: 0x80,
  license: 0x100,
};

/** 100-ns intervals from 1601-01-01 to 1970-01-01 (11,644,473,600 s). */
export const FILETIME_UNIX_EPOCH = 116444736000000000n;

/** ms since 1970 as a FILETIME. */
export function msToFileTime(ms: number): bigint {
  return BigInt(Math.floor(ms)) * 10000n + FILETIME_UNIX_EPOCH;
}

/** The mask of these event types. */
export function eventMask(types: readonly SessionEventType[]): number {
  return types.reduce((mask, type) => mask | WTS_EVENT[type], 0);
}

/** The buttons and icon a WTSSendMessageW style stands for. */
export function decodeMessageStyle(style: number): { buttons: MessageButtons; icon: MessageIcon } {
  const find = <K extends string>(table: Readonly<Record<K, number>>, value: number): K => {
    const key = (Object.keys(table) as K[]).find((k) => table[k] === value);
    if (key === undefined) throw new RangeError(`no entry for ${value}`);
    return key;
  };
  return { buttons: find(MB_BUTTONS, style & 0xf), icon: find(MB_ICONS, style & 0xf0) };
}
