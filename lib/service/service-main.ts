// The entry point the installed service runs (dist/service.cjs): node.exe <this> <policy.json> --name <name> ...
// It runs the policy enforcer under the SCM's control dispatcher: STOP, SHUTDOWN and PRESHUTDOWN abort it, a session
// change checks this machine at once, and every audit record also goes to the Event Log. Nothing relies on SIGTERM,
// which Windows never delivers.
import { dirname } from 'node:path';
import { runPolicyEnforcer } from '../index.js';
import { addonFiles, loadAddon } from '../native/load-addon.js';
import type { SessionPolicy } from '../policy/policy-types.js';
import { checkQueue } from './check-queue.js';
import { EVENT_IDS, EVENT_TYPE } from './event-ids.js';
import { eventLogCopy } from './event-log-copy.js';
import { untrustedCode } from './code-access.js';
import { readGuardedFile, untrustedFolders } from './policy-file-access.js';
import { remoteDesktopReady } from './remote-desktop-ready.js';
import { parseServiceArgs } from './service-args.js';
import { startServiceHost } from './service-host.js';

/** The service's exit codes (dwServiceSpecificExitCode): its policy was refused, or the enforcer failed. */
const EXIT_REFUSED = 1;
const EXIT_FAILED = 2;

async function main(): Promise<void> {
  const args = parseServiceArgs(process.argv.slice(2));
  const addon = loadAddon();
  const host = await startServiceHost(addon, args.name);
  const complain = (error: Error) => process.stderr.write(`event log: ${error.message}\n`);
  const event = (id: number, text: string, data: unknown) =>
    addon.reportEvent(args.name, EVENT_TYPE.error, id, text, Buffer.from(JSON.stringify(data), 'utf8')).catch(complain);
  let policy: unknown;
  try {
    // Whoever can change the code run as SYSTEM, or the policy, decides who is signed out: only Administrators and
    // SYSTEM may. The policy is judged and read through one handle.
    const code = addonFiles();
    const problem = await untrustedCode(addon, {
      node: process.execPath,
      packageRoot: code.packageRoot,
      files: [process.argv[1]!, code.addon],
      helpers: code.helpers,
      installer: args.installer,
    });
    if (problem) throw new Error(`others may change the code the service runs: ${problem}`);
    policy = JSON.parse((await readGuardedFile(addon, args.policy)).toString('utf8'));
    // A guard that cannot audit does not act: no one else may replace the audit file's folder.
    const audit = args.audit === undefined ? null : await untrustedFolders(addon, dirname(args.audit), 'replace');
    if (audit) throw new Error(`the audit file's folder is not safe: ${audit}`);
  } catch (error) {
    const text = `The policy ${args.policy} was not put in force: ${(error as Error).message}`;
    process.stderr.write(`${text}\n`);
    await event(EVENT_IDS.startRefused, text, { policy: args.policy, error: (error as Error).message });
    host.stopped(EXIT_REFUSED);
    return;
  }
  const checks = checkQueue();
  // Any change of a local session (logon, connect, unlock, ...): this machine is checked at once.
  host.onSessionChange = () => {
    checks.push(null);
  };
  let ticker: NodeJS.Timeout | undefined;
  host.stopping.addEventListener('abort', () => {
    ticker = setInterval(() => {
      host.stillStopping();
    }, 5000);
  });
  host.running();
  let exitCode = 0;
  try {
    await remoteDesktopReady(addon, host.stopping);
    await runPolicyEnforcer(policy as SessionPolicy, {
      servers: args.servers,
      audit: args.audit,
      signal: host.stopping,
      checkNow: checks,
      copyAudit: eventLogCopy(addon, args.name, complain),
    });
  } catch (error) {
    const text = `The session guard failed: ${(error as Error).message}`;
    process.stderr.write(`${text}\n`);
    await event(EVENT_IDS.failed, text, { error: (error as Error).message, code: (error as { code?: unknown }).code });
    exitCode = EXIT_FAILED;
  } finally {
    checks.end();
    clearInterval(ticker);
  }
  host.stopped(exitCode);
}

main().catch((error: unknown) => {
  // Not started by the SCM (1063 from StartServiceCtrlDispatcherW), or bad arguments: no status to report it to.
  const e = error as Error & { errno?: number; syscall?: string };
  const code = e.errno === undefined ? '' : ` (${e.syscall ?? ''} ${e.errno})`;
  process.stderr.write(`windows-sessions service: ${e.message}${code}\n`);
  process.exitCode = 1;
});
