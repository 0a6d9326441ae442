import { raceAbort } from '../abort.js';
import type { Backend } from '../backend.js';
import { parseDuration } from '../duration.js';
import type {
  CpuShare,
  ProcessInfo,
  ProcessUsage,
  ProcessUsageRow,
  SessionUsage,
  SessionUsageOptions,
  SessionUsageReport,
} from '../types.js';
import { checkOptions, checkServer, checkSignal } from '../validate.js';

const DEFAULT_INTERVAL_MS = 1000;
/** The System Idle Process. */
const IDLE_PID = 0;

/** getSessionUsage: two samples of every process `interval` apart, summed per session. */
export async function getSessionUsage(backend: Backend, options: unknown): Promise<SessionUsageReport> {
  const o = checkOptions<SessionUsageOptions>(options);
  const server = checkServer(o.server);
  const interval = o.interval === undefined ? DEFAULT_INTERVAL_MS : parseDuration(o.interval, 'options.interval');
  if (interval < 100 || interval > 3_600_000) {
    throw new RangeError(`options.interval must be from 100 ms to 1 h, got ${interval} ms`);
  }
  const given = checkProcessors(o.processors);
  const signal = checkSignal(o.signal);
  const processors = given ?? (await processorCount(backend, server));
  const before = await raceAbort(sampleProcesses(backend, server), signal);
  await raceAbort(new Promise((resolve) => setTimeout(resolve, interval)), signal);
  const after = await raceAbort(sampleProcesses(backend, server), signal);
  const intervalMs = after.at - before.at;
  return { server, intervalMs, processors, ...usageBetween(before.processes, after.processes, intervalMs, processors) };
}

/**
 * Every process with its usage, and when it was read: the middle of the call (a remote host's round trip would
 * otherwise count in the interval, and understate the CPU spent in it).
 */
export async function sampleProcesses(
  backend: Backend,
  server: string | null,
): Promise<{ at: number; processes: ProcessInfo[] }> {
  const started = performance.now();
  const processes = await backend.listProcesses(server, true);
  return { at: (started + performance.now()) / 2, processes };
}

/** The server's processor count as the backend knows it, or `null`. */
export async function processorCount(backend: Backend, server: string | null): Promise<number | null> {
  return backend.processorCount ? backend.processorCount(server) : null;
}

/** Checks a `processors` option: an integer from 1 to 2048 (Windows's most logical processors), or undefined. */
export function checkProcessors(value: unknown, name = 'options.processors'): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw new TypeError(`${name} must be a number`);
  if (!Number.isInteger(value) || value < 1 || value > 2048) {
    throw new RangeError(`${name} must be an integer from 1 to 2048, got ${value}`);
  }
  return value;
}

/**
 * Per process and per session, what the second sample shows and the CPU spent between the two, `intervalMs` apart.
 * A process is the same in both when its pid and name are (a pid can be reused); one new in the second sample spent
 * all its CPU time within the interval. Processes of the first sample only ended meanwhile and are left out. The
 * System Idle Process (pid 0) is listed with its CPU (the processors' idle time) but summed in no session.
 */
export function usageBetween(
  before: readonly ProcessInfo[],
  after: readonly ProcessInfo[],
  intervalMs: number,
  processors: number | null,
): Pick<SessionUsageReport, 'sessions' | 'processes'> {
  const earlier = new Map(before.map((p) => [`${p.pid}:${p.name}`, p.usage]));
  const share = (cpuMs: number): CpuShare => {
    const cpuCores = intervalMs > 0 ? cpuMs / intervalMs : 0;
    return { cpuMs, cpuCores, cpuPercent: processors === null ? null : (100 * cpuCores) / processors };
  };
  const processes: ProcessUsageRow[] = [];
  for (const p of [...after].sort((a, b) => a.pid - b.pid)) {
    if (!p.usage) continue;
    const was = earlier.get(`${p.pid}:${p.name}`);
    const cpuMs = Math.max(0, cpuTime(p.usage) - (was ? cpuTime(was) : 0));
    processes.push({ ...p, usage: p.usage, ...share(cpuMs) });
  }
  const bySession = new Map<number, Omit<SessionUsage, keyof CpuShare> & { cpuMs: number }>();
  for (const p of processes) {
    // The System Idle Process's time is the processors' idle time, nobody's work (Task Manager's Users tab leaves
    // it out): counted in a session, it would make session 0 look busiest on an idle machine.
    if (p.pid === IDLE_PID) continue;
    const s = bySession.get(p.sessionId) ?? {
      sessionId: p.sessionId,
      processCount: 0,
      workingSetBytes: 0,
      pagefileBytes: 0,
      handles: 0,
      threads: 0,
      cpuMs: 0,
    };
    s.processCount += 1;
    s.workingSetBytes += p.usage.workingSetBytes;
    s.pagefileBytes += p.usage.pagefileBytes;
    s.handles += p.usage.handles;
    s.threads += p.usage.threads;
    s.cpuMs += p.cpuMs;
    bySession.set(p.sessionId, s);
  }
  const sessions = [...bySession.values()]
    .map((s) => ({ ...s, ...share(s.cpuMs) }))
    .sort((a, b) => b.cpuMs - a.cpuMs || b.workingSetBytes - a.workingSetBytes || a.sessionId - b.sessionId);
  return { sessions, processes };
}

function cpuTime(u: ProcessUsage): number {
  return u.userTimeMs + u.kernelTimeMs;
}
