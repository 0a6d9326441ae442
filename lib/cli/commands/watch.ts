import { SESSION_EVENT_TYPES, type Session, type SessionEventType } from '../../types.js';
import { printable } from '../printable.js';
import type { Command, CommandContext } from '../context.js';
import { describeError, errorLine, EXIT } from '../exit-codes.js';
import { hostName, reportMode } from '../hosts.js';
import { atMostPositionals, UsageError } from '../parse-args.js';
import { sessionChanges } from '../session-changes.js';
import { eventTime } from '../table.js';

/** What a watch says on stderr before the first event: what it watches, and how it ends. */
function banner(ctx: CommandContext, types: readonly string[] | undefined, count: number): string {
  const kinds = types ? types.join(', ') : 'every kind';
  const where = ctx.servers.map((s) => s ?? 'this machine').join(', ');
  const end = count === Infinity ? 'Ctrl+C stops' : `stops after ${count} event(s), or Ctrl+C`;
  return `Watching session events (${kinds}) on ${where}; ${end}.`;
}

export const watch: Command = {
  summary: 'print session events as they happen and who they concern, until Ctrl+C (or --count events)',
  usage: `watch [--types ${SESSION_EVENT_TYPES.slice(0, 4).join(',')},...] [--count <n>] [--utc] [--json]`,
  manyHosts: true,
  flags: {
    types: { kind: 'string', help: `comma-separated kinds: ${SESSION_EVENT_TYPES.join(', ')}` },
    count: { kind: 'string', help: 'stop after this many events' },
    utc: { kind: 'boolean', help: 'times in UTC, as ISO text (default: local time, as list shows them)' },
  },
  async run(ctx) {
    const { args, client, json, out, err } = ctx;
    atMostPositionals(args, 0);
    const count = args.flags.count === undefined ? Infinity : Number(args.flags.count);
    if (!Number.isInteger(count) && count !== Infinity) throw new UsageError('--count must be a whole number');
    const types =
      typeof args.flags.types === 'string' ? (args.flags.types.split(',') as SessionEventType[]) : undefined;
    if (count <= 0) return EXIT.ok;
    const utc = args.flags.utc === true;
    err(banner(ctx, types, count));
    // Ctrl+C, or --count reached on any host, ends every host's loop.
    const stop = new AbortController();
    const onAbort = () => {
      stop.abort();
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    if (ctx.signal.aborted) stop.abort();
    // Open until Ctrl+C even where nothing else holds the process (the mock has no thread waiting).
    const open = setInterval(() => undefined, 1 << 30);
    let seen = 0;
    const many = ctx.servers.length > 1;
    const watchHost = async (server: string | null): Promise<void> => {
      // Windows does not say which session an event is about: the listing after it, compared with the one
      // before, does.
      let before: Session[] | null = await client.listSessions({ server }).catch(() => null);
      for await (const event of client.watchSessions({
        server,
        types,
        signal: stop.signal,
        onMode: (m) => {
          reportMode(ctx, m);
        },
      })) {
        if (seen >= count) break;
        const after = await client.listSessions({ server }).catch((error: unknown) => {
          const { code, message } = describeError(error);
          err(errorLine(code, `could not list ${hostName(server)} again after an event: ${message}`));
          return null;
        });
        const changes = before && after ? sessionChanges(before, after) : [];
        before = after ?? before;
        if (json) out(JSON.stringify({ ...event, changes }));
        else {
          out(`${eventTime(event.time, utc)}  ${event.type}${event.server ? `  ${event.server}` : ''}`);
          for (const change of changes) out(`    ${printable(change)}`);
        }
        if (++seen >= count) stop.abort();
      }
    };
    const hosts = { failed: false };
    try {
      await Promise.all(
        ctx.servers.map((server) =>
          watchHost(server).catch((error: unknown) => {
            if (!many) throw error; // one host: its error is the command's
            hosts.failed = true; // several: that host's error is its own line, and the others go on
            const { code, message } = describeError(error);
            err(errorLine(code, message));
          }),
        ),
      );
    } finally {
      clearInterval(open);
      ctx.signal.removeEventListener('abort', onAbort);
    }
    return hosts.failed ? EXIT.partial : EXIT.ok;
  },
};
