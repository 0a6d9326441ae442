import { closeSync, copyFileSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import type { Addon, RawServiceStatus } from '../native/addon.js';
import { toWtsError } from '../native/native-backend.js';
import { GUARD_FILE_SDDL } from './policy-file-access.js';
import { serviceCommandLine } from './service-args.js';

/** The guard's folder: the same owner and DACL as its files, inherited by what is created in it later. */
const GUARD_FOLDER_SDDL = GUARD_FILE_SDDL.replaceAll('(A;;', '(A;OICI;');

/** What `service install` is given. */
export interface InstallRequest {
  name: string;
  /** The policy file to copy. */
  policy: string;
  /** The audit file; default `audit.jsonl` in the guard's folder. */
  audit: string | undefined;
  servers: (string | null)[];
  /** The account the service runs as; default LocalSystem. */
  account: string | undefined;
  /** The installed node.exe (`process.execPath`) and the package's dist/service.cjs. */
  node: string;
  entry: string;
  /** Where the guard's folder goes: `%ProgramData%`. */
  dataRoot: string;
}

/** What install did. */
export interface Installed {
  name: string;
  folder: string;
  policy: string;
  audit: string;
  commandLine: string;
  account: string;
  /** Whether the SCM took the delayed start (Windows Vista and later do; Wine 8 does not). */
  delayedAutoStart: boolean;
}

/** The addon's Win32 failures as WtsErrors. */
async function native<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toWtsError(error, null);
  }
}

/**
 * Installs the service: the guard's folder under `%ProgramData%\windows-sessions\<name>` with the policy copied into
 * it and the audit file created, all three writable by Administrators and SYSTEM only; then the service itself
 * (automatic, delayed start; restarted on failure; LocalSystem or `account`) and its event source.
 */
export async function installService(
  addon: Pick<Addon, 'installService' | 'fileAcl'>,
  r: InstallRequest,
): Promise<Installed> {
  const folder = join(r.dataRoot, 'windows-sessions', r.name);
  mkdirSync(folder, { recursive: true });
  await native(addon.fileAcl(folder, GUARD_FOLDER_SDDL));
  const policy = join(folder, 'policy.json');
  copyFileSync(r.policy, policy);
  await native(addon.fileAcl(policy, GUARD_FILE_SDDL));
  const audit = r.audit ?? join(folder, 'audit.jsonl');
  closeSync(openSync(audit, 'a'));
  await native(addon.fileAcl(audit, GUARD_FILE_SDDL));
  const commandLine = serviceCommandLine(r.node, r.entry, { policy, name: r.name, audit, servers: r.servers });
  const { delayedAutoStart } = await native(
    addon.installService({
      name: r.name,
      displayName: `Session guard (${r.name})`,
      description:
        'Enforces a session policy with windows-sessions: signs out or disconnects the sessions it does not allow, ' +
        'and writes each decision to its audit file and to the Application log.',
      commandLine,
      account: r.account ?? null,
    }),
  );
  return { name: r.name, folder, policy, audit, commandLine, account: r.account ?? 'LocalSystem', delayedAutoStart };
}

/** SERVICE_STOPPED ... SERVICE_PAUSED (winsvc.h) by number. */
export const STATE_NAMES: Record<number, string> = {
  1: 'stopped',
  2: 'startPending',
  3: 'stopPending',
  4: 'running',
  5: 'continuePending',
  6: 'pausePending',
  7: 'paused',
};

/** Reads the status until `until` holds or `timeoutMs` passes, and returns the last one. */
export async function waitForState(
  addon: Pick<Addon, 'controlService'>,
  name: string,
  until: (s: RawServiceStatus) => boolean,
  timeoutMs: number,
): Promise<RawServiceStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = (await native(addon.controlService(name, 'query')))!;
    if (until(status) || Date.now() >= deadline) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Calls the SCM on the service: uninstall, start, stop or query. */
export function controlService(
  addon: Pick<Addon, 'controlService'>,
  name: string,
  op: 'uninstall' | 'start' | 'stop' | 'query',
): Promise<RawServiceStatus | undefined> {
  return native(addon.controlService(name, op));
}
