import { SESSION_EVENT_TYPES, type SessionEventType } from '../../types.js';
import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { UsageError } from '../parse-args.js';

export const watch: Command = {
  summary: 'print session events as they happen, until Ctrl+C (or --count events)',
  usage: `watch [--types ${SESSION_EVENT_TYPES.slice(0, 4).join(',')},...] [--count <n>] [--json]`,
  flags: {
    types: { kind: 'string', help: `comma-separated kinds: ${SESSION_EVENT_TYPES.join(', ')}` },
    count: { kind: 'string', help: 'stop after this many events' },
  },
  async run({ args, client, server, json, out, signal }) {
    const count = args.flags.count === undefined ? Infinity : Number(args.flags.count);
    if (!Number.isInteger(count) && count !== Infinity) throw new UsageError('--count must be a whole number');
    const types =
      typeof args.flags.types === 'string' ? (args.flags.types.split(',') as SessionEventType[]) : undefined;
    let seen = 0;
    if (count <= 0) return EXIT.ok;
    for await (const event of client.watchSessions({ server, types, signal })) {
      out(
        json
          ? JSON.stringify(event)
          : `${event.time.toISOString()}  ${event.type}${event.server ? `  ${event.server}` : ''}`,
      );
      if (++seen >= count) break;
    }
    return EXIT.ok;
  },
};
