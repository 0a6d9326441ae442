import type { MessageAnswer, MessageButtons, MessageIcon } from './types.js';

/** MB_OK … MB_CANCELTRYCONTINUE, in their numeric order. */
export const MESSAGE_BUTTONS: readonly MessageButtons[] = [
  'ok',
  'okCancel',
  'abortRetryIgnore',
  'yesNoCancel',
  'yesNo',
  'retryCancel',
  'cancelTryContinue',
];

/** MB_ICON* values. */
const ICON_STYLES: Record<MessageIcon, number> = {
  none: 0,
  error: 0x10,
  question: 0x20,
  warning: 0x30,
  information: 0x40,
};

/** The icons a message can show, from its MB_ICON* table. */
export const MESSAGE_ICONS = Object.keys(ICON_STYLES) as readonly MessageIcon[];

/** IDOK … IDCONTINUE, IDTIMEOUT, IDASYNC, and 0, which some servers return on time-out (Cassia: 2008 R2). */
const ANSWERS: Record<number, MessageAnswer> = {
  0: 'timeout',
  1: 'ok',
  2: 'cancel',
  3: 'abort',
  4: 'retry',
  5: 'ignore',
  6: 'yes',
  7: 'no',
  10: 'tryAgain',
  11: 'continue',
  32000: 'timeout',
  32001: 'async',
};

/** The `Style` argument of WTSSendMessageW. */
export function messageStyle(buttons: MessageButtons, icon: MessageIcon): number {
  return MESSAGE_BUTTONS.indexOf(buttons) | ICON_STYLES[icon];
}

/** The answer a WTSSendMessageW response code stands for; an unknown code is a RangeError (a bug to report). */
export function messageAnswer(response: number): MessageAnswer {
  const answer = ANSWERS[response];
  if (!answer) throw new RangeError(`WTSSendMessageW returned an unknown response ${response}`);
  return answer;
}
