import { readFileSync } from 'node:fs';
import { parseDuration } from '../duration.js';
import {
  createMockBackend,
  type MockBackend,
  type MockBackendOptions,
  type MockOperation,
  type MockSessionSeed,
} from '../mock/index.js';
import type { MessageAnswer, SessionInfoClass } from '../types.js';
import { UsageError } from './parse-args.js';

/** A --mock scenario file: the mock's options, plus scripted answers and failures, with readable times. */
interface ScenarioFile extends Omit<MockBackendOptions, 'now'> {
  answers?: { sessionId: number; answer: MessageAnswer; server?: string; delayMs?: number }[];
  failures?: {
    op: MockOperation;
    errno: number;
    sessionId?: number;
    server?: string;
    times?: number;
    infoClass?: SessionInfoClass;
  }[];
}

const TIME_FIELDS = ['logonTime', 'connectTime', 'disconnectTime', 'lastInputTime'] as const;

/** The keys each part of a scenario file may have: a typo must be an error, not a silently ignored setting. */
const KEYS = {
  '': [
    'sessions',
    'servers',
    'currentSessionId',
    'systemSessions',
    'latencyMs',
    'processes',
    'events',
    'answers',
    'failures',
  ],
  session: [
    'id',
    'stationName',
    'state',
    'userName',
    'domain',
    'clientName',
    'clientAddress',
    'protocol',
    'locked',
    ...TIME_FIELDS,
  ],
  answer: ['sessionId', 'answer', 'server', 'delayMs'],
  failure: ['op', 'errno', 'sessionId', 'server', 'times', 'infoClass'],
  process: ['pid', 'name', 'sessionId', 'userName', 'domain', 'userSid', 'server'],
  event: ['types', 'delayMs', 'server', 'change'],
} as const;

function checkKeys(value: unknown, kind: keyof typeof KEYS, where: string): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`${where || 'the scenario'} must be an object`);
  const allowed: readonly string[] = KEYS[kind];
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new UsageError(
        `${where ? `${where}: ` : ''}unknown key ${JSON.stringify(key)}; known: ${allowed.join(', ')}`,
      );
  }
}

function checkList(value: unknown, kind: keyof typeof KEYS, where: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new UsageError(`${where} must be an array`);
  value.forEach((item, i) => {
    checkKeys(item, kind, `${where}[${i}]`);
  });
}

/** Checks a parsed scenario file's shape, naming the field at fault. */
function checkScenario(parsed: unknown): asserts parsed is ScenarioFile {
  checkKeys(parsed, '', '');
  const file = parsed as Record<string, unknown>;
  checkList(file.sessions, 'session', 'sessions');
  if (file.servers !== undefined) {
    if (typeof file.servers !== 'object' || file.servers === null || Array.isArray(file.servers))
      throw new UsageError('servers must be an object of host names');
    for (const [host, list] of Object.entries(file.servers)) checkList(list, 'session', `servers.${host}`);
  }
  checkList(file.answers, 'answer', 'answers');
  checkList(file.failures, 'failure', 'failures');
  checkList(file.processes, 'process', 'processes');
  checkList(file.events, 'event', 'events');
}

/** '-2h' (that long before now), ISO text or ms since 1970. */
function time(value: unknown, now: number, where: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.startsWith('-')) return now - parseDuration(value.slice(1), where);
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(ms))
    throw new UsageError(`${where}: expected '-2h', an ISO date or ms, got ${JSON.stringify(value)}`);
  return ms;
}

function sessions(list: unknown, now: number, where: string): MockSessionSeed[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw new UsageError(`${where} must be an array`);
  return list.map((seed: Record<string, unknown>, i) => {
    const out: Record<string, unknown> = { ...seed };
    for (const field of TIME_FIELDS) if (field in seed) out[field] = time(seed[field], now, `${where}[${i}].${field}`);
    return out as unknown as MockSessionSeed;
  });
}

/** Makes the mock a --mock run uses: the built-in demo, or the scenario in `file`. */
export function mockFromFile(file: string | true): MockBackend {
  if (file === true) return createMockBackend();
  if (!file.endsWith('.json')) throw new UsageError(`--mock takes a .json scenario file, got ${JSON.stringify(file)}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the mock scenario ${file}: ${(error as Error).message}`);
  }
  try {
    checkScenario(parsed);
  } catch (error) {
    throw new UsageError(`mock scenario ${file}: ${(error as Error).message}`);
  }
  const now = Date.now();
  const { answers, failures, ...options } = parsed;
  const mock = createMockBackend({
    ...options,
    sessions: sessions(options.sessions, now, 'sessions'),
    // An event's sessions take the same readable times.
    events: options.events?.map((e, i) =>
      e.change?.set
        ? { ...e, change: { ...e.change, set: sessions(e.change.set, now, `events[${i}].change.set`) } }
        : e,
    ),
    servers: options.servers
      ? Object.fromEntries(
          Object.entries(options.servers).map(([name, list]) => [name, sessions(list, now, `servers.${name}`)!]),
        )
      : undefined,
  });
  for (const a of answers ?? []) mock.answer(a.sessionId, a.answer, { server: a.server, delayMs: a.delayMs });
  for (const f of failures ?? [])
    mock.fail(f.op, f.errno, { sessionId: f.sessionId, server: f.server, times: f.times, infoClass: f.infoClass });
  return mock;
}
