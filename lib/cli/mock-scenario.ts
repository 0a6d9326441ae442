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
  let parsed: ScenarioFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ScenarioFile;
  } catch (error) {
    throw new UsageError(`cannot read the mock scenario ${file}: ${(error as Error).message}`);
  }
  const now = Date.now();
  const { answers, failures, ...options } = parsed;
  const mock = createMockBackend({
    ...options,
    sessions: sessions(options.sessions, now, 'sessions'),
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
