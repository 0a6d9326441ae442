import { readFileSync } from 'node:fs';
import { parseDuration } from '../duration.js';
import {
  createMockBackend,
  type MockBackend,
  type MockBackendOptions,
  type MockOperation,
  type MockSessionSeed,
} from '../mock/index.js';
import { normalizeSeed } from '../mock/seed.js';
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
    'waitThreads',
    'realTime',
    'remoteClocks',
    'processes',
    'processors',
    'events',
    'answers',
    'failures',
    'groups',
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
    'hung',
    ...TIME_FIELDS,
  ],
  answer: ['sessionId', 'answer', 'server', 'delayMs'],
  failure: ['op', 'errno', 'sessionId', 'server', 'times', 'infoClass'],
  process: ['pid', 'name', 'sessionId', 'userName', 'domain', 'userSid', 'server', 'usage'],
  usage: [
    'workingSetBytes',
    'pagefileBytes',
    'handles',
    'threads',
    'userTimeMs',
    'kernelTimeMs',
    'cpuMsPerRead',
    'cpuLoad',
  ],
  event: ['types', 'delayMs', 'server', 'change'],
  group: ['user', 'server', 'local', 'domain'],
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
  checkUsage(file.processes as Record<string, unknown>[] | undefined, file.processors);
  checkList(file.events, 'event', 'events');
  checkList(file.groups, 'group', 'groups');
}

/** Processes' usage: known keys, numbers >= 0 (cpuLoad at most the processor count); processors a whole number. */
function checkUsage(processes: Record<string, unknown>[] | undefined, processors: unknown): void {
  if (processors !== undefined && (!Number.isInteger(processors) || (processors as number) < 1))
    throw new UsageError(`processors must be a whole number from 1, got ${JSON.stringify(processors)}`);
  (processes ?? []).forEach((p, i) => {
    if (p.usage === undefined) return;
    const where = `processes[${i}].usage`;
    checkKeys(p.usage, 'usage', where);
    for (const [key, value] of Object.entries(p.usage as Record<string, unknown>)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
        throw new UsageError(`${where}.${key} must be a number >= 0, got ${JSON.stringify(value)}`);
    }
  });
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

/**
 * A list of session seeds with readable times made ms. Ids must be unique: a second seed with the same id is an
 * error, not a silent replacement. A session with a user and no `logonTime` gets one, as every signed-in session on
 * Windows has: its earliest other time, or the time the scenario was read. An event's sessions (`signIn` false)
 * get theirs when the event happens (see MockEventChange.set).
 */
function sessions(list: unknown, now: number, where: string, signIn = true): MockSessionSeed[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw new UsageError(`${where} must be an array`);
  const seen = new Map<unknown, number>();
  return list.map((seed: Record<string, unknown>, i) => {
    const at = `${where}[${i}]`;
    const first = seen.get(seed.id);
    if (first !== undefined) throw new UsageError(`${at}: id ${String(seed.id)} is also ${where}[${first}]'s`);
    seen.set(seed.id, i);
    const out: Record<string, unknown> = { ...seed };
    for (const field of TIME_FIELDS) if (field in seed) out[field] = time(seed[field], now, `${at}.${field}`);
    if (signIn && out.userName && out.logonTime === undefined) {
      const times = ['connectTime', 'disconnectTime', 'lastInputTime'].map((f) => out[f]);
      out.logonTime = Math.min(now, ...times.filter((t): t is number => typeof t === 'number'));
    }
    try {
      normalizeSeed(out as unknown as MockSessionSeed);
    } catch (error) {
      throw new UsageError(`${at}: ${(error as Error).message}`);
    }
    return out as unknown as MockSessionSeed;
  });
}

/** A scenario file's problem: `ERR_SCENARIO: <file>: <where>: <what>` (exit 2). */
const scenarioError = (file: string, message: string) => new UsageError(`${file}: ${message}`, 'ERR_SCENARIO');

/** Makes the mock a --mock run uses: the built-in demo, or the scenario in `file` (any file name). */
export function mockFromFile(file: string | true): MockBackend {
  if (file === true) return createMockBackend();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'it is a directory' : e.message;
    throw new UsageError(`cannot read the scenario file ${file}: ${why}`, e.code ?? 'ERR_SCENARIO');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw scenarioError(file, `not JSON: ${(error as Error).message}`);
  }
  try {
    return scenarioMock(parsed);
  } catch (error) {
    throw scenarioError(file, (error as Error).message);
  }
}

/** The mock a parsed scenario describes; its errors name the place in the file. */
function scenarioMock(parsed: unknown): MockBackend {
  checkScenario(parsed);
  const now = Date.now();
  const { answers, failures, ...options } = parsed;
  const mock = createMockBackend({
    ...options,
    sessions: sessions(options.sessions, now, 'sessions'),
    // An event's sessions take the same readable times.
    events: options.events?.map((e, i) =>
      e.change?.set
        ? { ...e, change: { ...e.change, set: sessions(e.change.set, now, `events[${i}].change.set`, false) } }
        : e,
    ),
    servers: options.servers
      ? Object.fromEntries(
          Object.entries(options.servers).map(([name, list]) => [name, sessions(list, now, `servers.${name}`)!]),
        )
      : undefined,
  });
  (answers ?? []).forEach((a, i) => {
    at(`answers[${i}]`, () => {
      mock.answer(a.sessionId, a.answer, { server: a.server, delayMs: a.delayMs });
    });
  });
  (failures ?? []).forEach((f, i) => {
    at(`failures[${i}]`, () => {
      mock.fail(f.op, f.errno, { sessionId: f.sessionId, server: f.server, times: f.times, infoClass: f.infoClass });
    });
  });
  return mock;
}

/** Runs `fn`, naming `where` in its error. */
function at(where: string, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    throw new UsageError(`${where}: ${(error as Error).message}`);
  }
}
