import { join } from 'node:path';
import type { RawServiceStatus } from '../../native/addon.js';
import { addonFiles, loadAddon } from '../../native/load-addon.js';
import { validatePolicy } from '../../policy/check-policy.js';
import { readFileSync, realpathSync } from 'node:fs';
import {
  controlService,
  ERR_UNTRUSTED_PATH,
  installService,
  STATE_NAMES,
  waitForState,
} from '../../service/install-service.js';
import type { Command, CommandContext } from '../context.js';
import { CliRefusal, EXIT } from '../exit-codes.js';
import { UsageError } from '../parse-args.js';

const STOPPED = 1;
/** How long start and stop wait for the service to get there: the stop's wait hint, and some. */
const SETTLE_MS = 30_000;

const describe = (name: string, s: RawServiceStatus) => ({
  name,
  state: STATE_NAMES[s.state] ?? String(s.state),
  pid: s.pid || null,
  win32ExitCode: s.win32ExitCode,
  serviceExitCode: s.serviceExitCode,
});

function print(ctx: CommandContext, name: string, s: RawServiceStatus): number {
  const d = describe(name, s);
  if (ctx.json) ctx.out(JSON.stringify(d));
  else {
    const exit = d.win32ExitCode ? ` (exit ${d.win32ExitCode}${d.serviceExitCode ? `/${d.serviceExitCode}` : ''})` : '';
    ctx.out(`${name}: ${d.state}${d.pid ? `, pid ${d.pid}` : ''}${exit}`);
  }
  return EXIT.ok;
}

function nameOf(ctx: CommandContext): string {
  const name = ctx.args.flags.name ?? 'windows-sessions';
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,80}$/.test(name))
    throw new UsageError('--name takes 1 to 80 letters, digits, dots, dashes or underscores');
  return name;
}

async function install(ctx: CommandContext, name: string): Promise<number> {
  const [, policyPath, extra] = ctx.args.positionals;
  if (policyPath === undefined || extra !== undefined)
    throw new UsageError('service install takes one policy file: service install <policy.json>');
  // Checked before anything is installed: a service that refuses its policy at every boot guards nothing.
  try {
    validatePolicy(JSON.parse(readFileSync(policyPath, 'utf8')));
  } catch (error) {
    throw new UsageError(`${policyPath}: ${(error as Error).message}`);
  }
  const audit = ctx.args.flags.audit;
  const account = ctx.args.flags.account;
  const addon = loadAddon();
  // The paths the service will run, links resolved: what is checked is what runs.
  const code = addonFiles();
  const done = await installService(addon, {
    name,
    policy: policyPath,
    audit: typeof audit === 'string' ? audit : undefined,
    account: typeof account === 'string' ? account : undefined,
    servers: ctx.servers,
    node: realpathSync(process.execPath),
    entry: realpathSync(join(__dirname, 'service.cjs')),
    code: {
      packageRoot: realpathSync(code.packageRoot),
      files: [realpathSync(code.addon)],
      helpers: code.helpers.map((f) => realpathSync(f)),
    },
    dataRoot: process.env.ProgramData ?? 'C:\\ProgramData',
  }).catch((error: unknown) => {
    // Others could steer the guard through that path: exit 3, nothing installed.
    const e = error as Error & { code?: string };
    throw e.code === ERR_UNTRUSTED_PATH ? new CliRefusal(ERR_UNTRUSTED_PATH, e.message) : e;
  });
  if (ctx.json) ctx.out(JSON.stringify(done));
  else
    ctx.out(
      `Installed service ${done.name} (automatic${done.delayedAutoStart ? ', delayed' : ''} start; runs as ${done.account}).\n` +
        `Policy: ${done.policy}\nAudit: ${done.audit}\nStart it now with: windows-sessions service start --name ${name}`,
    );
  return EXIT.ok;
}

async function uninstall(ctx: CommandContext, name: string): Promise<number> {
  const addon = loadAddon();
  const status = await controlService(addon, name, 'query');
  // A running service would only be marked for deletion: stop it first.
  if (status && status.state !== STOPPED) {
    await controlService(addon, name, 'stop').catch(() => undefined);
    await waitForState(addon, name, (s) => s.state === STOPPED, SETTLE_MS);
  }
  await controlService(addon, name, 'uninstall');
  if (ctx.json) ctx.out(JSON.stringify({ name, uninstalled: true }));
  else ctx.out(`Uninstalled service ${name} and its event source; its policy and audit files are kept.`);
  return EXIT.ok;
}

/** `service install|uninstall|start|stop|status`: the enforcer as a Windows service. */
export const service: Command = {
  summary: 'install, remove, start, stop or show the policy enforcer as a Windows service',
  usage:
    'service install <policy.json> [--name <name>] [--audit <file>] [--account <account>]\n' +
    '       service uninstall|start|stop|status [--name <name>]',
  manyHosts: true,
  flags: {
    name: { kind: 'string', help: 'the service name (default windows-sessions); also its event source' },
    audit: { kind: 'string', help: 'install: the audit file (default audit.jsonl in the service folder)' },
    account: { kind: 'string', help: 'install: the account it runs as (default LocalSystem; one without a password)' },
  },
  async run(ctx) {
    const action = ctx.args.positionals[0];
    const name = nameOf(ctx);
    if (action === 'install') return install(ctx, name);
    if (action === undefined || !['uninstall', 'start', 'stop', 'status'].includes(action))
      throw new UsageError('service takes install, uninstall, start, stop or status');
    if (ctx.args.positionals.length > 1) throw new UsageError(`service ${action} takes no arguments besides --name`);
    // The SCM asked is this machine's: --server names the hosts an installed service guards, nothing else.
    if (ctx.servers.some((server) => server !== null))
      throw new UsageError(`service ${action} acts on this machine's service; --server is for service install`);
    const addon = loadAddon();
    switch (action) {
      case 'uninstall':
        return uninstall(ctx, name);
      case 'start': {
        await controlService(addon, name, 'start');
        const status = await waitForState(addon, name, (s) => s.state !== 2, SETTLE_MS);
        print(ctx, name, status);
        // Stopped at once: it refused its policy (the Application log says why), or could not start.
        return status.state === 4 ? EXIT.ok : EXIT.failed;
      }
      case 'stop':
        await controlService(addon, name, 'stop');
        return print(ctx, name, await waitForState(addon, name, (s) => s.state === STOPPED, SETTLE_MS));
      default:
        return print(ctx, name, (await controlService(addon, name, 'query'))!);
    }
  },
};
