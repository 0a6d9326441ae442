import { raceAbort } from '../abort.js';
import type { Backend } from '../backend.js';
import { MESSAGE_BUTTONS, MESSAGE_ICONS } from '../message-codes.js';
import { checkMessageText, MAX_MESSAGE_CHARS, MAX_TITLE_CHARS } from '../message-limits.js';
import type { MessageAnswer, MessageRequest, SendMessageOptions } from '../types.js';
import { checkBoolean, checkOptions, checkServer, checkSessionId, checkSignal, describe } from '../validate.js';

function checkText(value: unknown, name: string, max: number, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  return checkMessageText(value, name, max);
}

function checkChoice<T extends string>(value: unknown, name: string, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T))
    throw new RangeError(`${name} must be one of ${choices.join(', ')}, got ${describe(value)}`);
  return value as T;
}

/** Checks seconds for a message timeout: an integer from 0 (for ever) to a year. */
export function checkTimeoutSeconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number of seconds`);
  if (!Number.isInteger(value) || value < 0 || value > 31_536_000) {
    throw new RangeError(`${name} must be an integer from 0 to 31536000 seconds, got ${value}`);
  }
  return value;
}

/** Checks sendMessage options into what a backend receives. */
export function checkMessage(options: unknown): {
  request: MessageRequest;
  server: string | null;
  signal?: AbortSignal;
} {
  if (options === undefined) throw new TypeError('options with a message are required');
  const o = checkOptions<SendMessageOptions>(options);
  const title = checkText(o.title, 'options.title', MAX_TITLE_CHARS, '');
  return {
    request: {
      // An empty title misbehaves on old servers; Cassia sends a space too.
      title: title === '' ? ' ' : title,
      message: checkText(o.message, 'options.message', MAX_MESSAGE_CHARS),
      buttons: checkChoice(o.buttons, 'options.buttons', MESSAGE_BUTTONS, 'ok'),
      icon: checkChoice(o.icon, 'options.icon', MESSAGE_ICONS, 'none'),
      timeoutSeconds: checkTimeoutSeconds(o.timeoutSeconds, 'options.timeoutSeconds', 0),
      wait: checkBoolean(o.wait, 'options.wait', true),
    },
    server: checkServer(o.server),
    signal: checkSignal(o.signal),
  };
}

/** sendMessage: shows a message box in the session and resolves to the answer. */
export async function sendMessage(backend: Backend, sessionId: unknown, options: unknown): Promise<MessageAnswer> {
  const id = checkSessionId(sessionId);
  const { request, server, signal } = checkMessage(options);
  return raceAbort(backend.sendMessage(id, request, server, signal), signal);
}
