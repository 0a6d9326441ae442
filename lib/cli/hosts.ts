import type { WatchMode } from '../types.js';
import type { CommandContext } from './context.js';
import { describeError, errorLine } from './exit-codes.js';

/** What one host gave a read: its value, or the error it failed with. */
export type HostRead<T> =
  { server: string | null; ok: true; value: T } | { server: string | null; ok: false; error: Error };

/**
 * Reads every host `--server` names, side by side, in the order given. With one host its error is the command's
 * (it rejects); with several, each host's error is its own result, and the others are still read.
 */
export async function readHosts<T>(
  ctx: CommandContext,
  read: (server: string | null) => Promise<T>,
): Promise<HostRead<T>[]> {
  if (ctx.servers.length === 1) return [{ server: ctx.server, ok: true, value: await read(ctx.server) }];
  return Promise.all(
    ctx.servers.map(async (server): Promise<HostRead<T>> => {
      try {
        return { server, ok: true, value: await read(server) };
      } catch (error) {
        return { server, ok: false, error: error as Error };
      }
    }),
  );
}

/** One error line per host that failed (`windows-sessions: <CODE>: …`); whether any did. */
export function reportFailedHosts(ctx: CommandContext, reads: readonly HostRead<unknown>[]): boolean {
  let failed = false;
  for (const r of reads) {
    if (r.ok) continue;
    failed = true;
    if (ctx.json) continue; // the JSON says it
    const { code, message } = describeError(r.error);
    ctx.err(errorLine(code, message));
  }
  return failed;
}

/** For --json with several hosts: each host with its result, or its error. */
export function hostsJson<T>(reads: readonly HostRead<T>[], key: string): unknown[] {
  return reads.map((r) =>
    r.ok ? { server: r.server, ok: true, [key]: r.value } : { server: r.server, ok: false, error: r.error },
  );
}

/** The host column's text: the name, or '.' for this machine (as `policy` shows it). */
export const hostName = (server: string | null): string => server ?? '.';

/**
 * Says on stderr that a host is polled (`ts01: polled every 5 s (…)`); a watched host, the usual mode, goes without
 * saying.
 */
export function reportMode(ctx: Pick<CommandContext, 'err'>, m: WatchMode): void {
  if (m.mode === 'polled')
    ctx.err(
      `${m.server ?? 'this machine'}: polled every ${m.pollEveryMs! / 1000} s (every event-wait thread watches another host)`,
    );
}
