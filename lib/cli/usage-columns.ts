// What sessions and processes cost, as the CLI shows it (list --usage, processes --usage, idle's dry run, top).
import type { SessionsClient } from '../client.js';
import { parseDuration } from '../duration.js';
import type { CpuShare } from '../types.js';
import { UsageError } from './parse-args.js';

/** Memory as Task Manager writes it: '412.5 MB', '1.2 GB'; '-' when unknown. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '-';
  const mb = bytes / (1024 * 1024);
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${mb.toFixed(1)} MB`;
}

/**
 * CPU as Task Manager writes it, a share of the whole machine ('12.5%'); where the processor count is unknown (a
 * remote host), the processors' worth kept busy ('0.60 cpu'); '-' when unknown.
 */
export function formatCpu(share: CpuShare | null | undefined): string {
  if (!share) return '-';
  return share.cpuPercent === null ? `${share.cpuCores.toFixed(2)} cpu` : `${share.cpuPercent.toFixed(1)}%`;
}

/** `--interval`: how long CPU is measured over (default 1 s), from 100 ms to 1 h. */
export function intervalFlag(value: string | boolean | undefined, fallbackMs = 1000): number {
  if (value === undefined) return fallbackMs;
  if (typeof value !== 'string') throw new UsageError("--interval needs a duration, e.g. '2s'");
  let ms: number;
  try {
    ms = parseDuration(value, '--interval');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (ms < 100 || ms > 3_600_000) throw new UsageError(`--interval must be from 100ms to 1h, got ${value}`);
  return ms;
}

/** One sample of every process's working set, summed per session: what signing each out would give back, at most. */
export async function workingSets(client: SessionsClient, server: string | null): Promise<Map<number, number>> {
  const sums = new Map<number, number>();
  for (const p of await client.listProcesses({ server, usage: true })) {
    sums.set(p.sessionId, (sums.get(p.sessionId) ?? 0) + (p.usage?.workingSetBytes ?? 0));
  }
  return sums;
}

/** `--processors`: the host's logical processor count, for a CPU share of a remote host (the WTS API gives none). */
export function processorsFlag(value: string | boolean | undefined): { processors?: number } {
  if (value === undefined) return {};
  if (typeof value !== 'string' || !/^[1-9]\d{0,3}$/.test(value) || Number(value) > 2048)
    throw new UsageError('--processors must be a whole number from 1 to 2048');
  return { processors: Number(value) };
}

/** The flags every usage view takes. */
export const PROCESSORS_FLAG = {
  kind: 'string',
  help: "the host's processor count, for CPU as a share of a remote host (Windows does not tell it: shown as 'cpu' otherwise)",
} as const;
