import { SESSION_EVENT_TYPES, type SessionEventType } from './types.js';

/** WTS_EVENT_CREATE (0x1) … WTS_EVENT_LICENSE (0x100): one bit per type, in SESSION_EVENT_TYPES order. */
export function eventMask(types: readonly SessionEventType[]): number {
  return types.reduce((mask, type) => mask | (1 << SESSION_EVENT_TYPES.indexOf(type)), 0);
}

/** The types whose bits are set in WTSWaitSystemEvent's flags (0, WTS_EVENT_NONE, gives []). */
export function eventTypes(flags: number): SessionEventType[] {
  return SESSION_EVENT_TYPES.filter((_, bit) => (flags & (1 << bit)) !== 0);
}
