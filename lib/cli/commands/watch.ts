import { SESSION_EVENT_TYPES, type Session, type SessionEventType } from '../../types.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { atMostPositionals, UsageError } from '../parse-args.js';
import { sessionChanges } from '../session-changes.js';

export const watch: Command = {
  summary: 'print session events as they happen and who they concern, until Ctrl+C (or --count events)',
  usage: `watch [--types ${SESSION_EVENT_TYPES.slice(0, 4).join(',')},...] [--count <n>] [--json]`,
  flags: {
    types: { kind: 'string', help: `comma-separated kinds: ${SESSION_EVENT_TYPES.join(', ')}` },
    count: { kind: 'string', help: 'stop after this many events' },
  },
  async run({ args, client, server, json, out, err, signal }) {
    atMostPositionals(args, 0);
    const count = args.flags.count === undefined ? Infinity : Number(args.flags.count);
    if (!Number.isInteger(count) && count !== Infinity) throw new UsageError('--count must be a whole number');
    const types =
      typeof args.flags.types === 'string' ? (args.flags.types.split(',') as SessionEventType[]) : undefined;
    if (count <= 0) return EXIT.ok;
    // Open until Ctrl+C even where nothing else holds the process (the mock has no thread waiting).
    const open = setInterval(() => undefined, 1 << 30);
    try {
      // Windows does not say which session an event is about: the listing after it, compared with the one
      // before, does.
      let before: Session[] | null = await client.listSessions({ server }).catch(() => null);
      let seen = 0;
      for await (const event of client.watchSessions({ server, types, signal })) {
        const after = await client.listSessions({ server }).catch((error: unknown) => {
          err(`(could not list again: ${(error as Error).message})`);
          return null;
        });
        const changes = before && after ? sessionChanges(before, after) : [];
        before = after ?? before;
        if (json) out(JSON.stringify({ ...event, changes }));
        else {
          out(`${event.time.toISOString()}  ${event.type}${event.server ? `  ${event.server}` : ''}`);
          for (const change of changes) out(`    ${change}`);
        }
        if (++seen >= count) break;
      }
    } finally {
      clearInterval(open);
    }
    return EXIT.ok;
  },
};
