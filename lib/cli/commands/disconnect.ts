import type { Command } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { sessionIdArg } from '../parse-args.js';
import { GUARD_FLAGS, guardOptions } from './logoff.js';

export const disconnect: Command = {
  summary: 'disconnect a session (it keeps running; the user can reconnect)',
  usage: 'disconnect <id> [--wait]',
  flags: { wait: { kind: 'boolean', help: 'return only once the session is disconnected' }, ...GUARD_FLAGS },
  async run({ args, client, server, out }) {
    const id = sessionIdArg(args.positionals[0]);
    await client.disconnect(id, { server, wait: args.flags.wait === true, ...guardOptions(args) });
    out(`Disconnected session ${id}.`);
    return EXIT.ok;
  },
};
