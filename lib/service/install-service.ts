import { closeSync, copyFileSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Addon, RawServiceStatus } from '../native/addon.js';
import { toWtsError } from '../native/native-backend.js';
import { type ServiceCode, untrustedCode } from './code-access.js';
import { GUARD_FILE_SDDL, untrustedFolders, untrustedOwner, untrustedWriters } from './policy-file-access.js';
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
  /** The installed node.exe (`process.execPath`) and the package's dist/service.cjs, links resolved. */
  node: string;
  entry: string;
  /** What else the service runs: the package folder, the addon and node-gyp-build. */
  code: Omit<ServiceCode, 'node'>;
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

/** `code` of install's refusal: a path the service would trust may be changed, or led elsewhere, by others. */
export const ERR_UNTRUSTED_PATH = 'ERR_UNTRUSTED_PATH';

/** Why install refuses: the path, and what is wrong with it. */
const refuse = (problem: string) =>
  Object.assign(new Error(`service not installed: ${problem}`), { code: ERR_UNTRUSTED_PATH });

/**
 * Makes one folder of the guard's and protects it. One that is there already (Users may create folders in
 * `%ProgramData%`, and own what they create) must be no junction or link and owned by Administrators, SYSTEM or the
 * installing administrator; protecting the parent first means none can appear in it unseen.
 */
async function guardFolder(addon: Pick<Addon, 'fileAcl'>, path: string): Promise<void> {
  try {
    mkdirSync(path);
  } catch (error) {
    if ((error as { code?: string }).code !== 'EEXIST') throw error;
    const problem = untrustedOwner(path, (await native(addon.fileAcl(path)))!);
    if (problem) throw refuse(problem);
  }
  await native(addon.fileAcl(path, GUARD_FOLDER_SDDL));
}

/**
 * Installs the service: the guard's folders `%ProgramData%\windows-sessions` and `<name>` in it, with the policy
 * copied into the latter and the audit file created, all writable by Administrators and SYSTEM only; then the service
 * itself (automatic, delayed start; restarted on failure; LocalSystem or `account`) and its event source. Refuses
 * (before anything is made) when others may change the code the service would run, and when a folder of the guard's
 * that is already there may lead elsewhere or belongs to someone else.
 */
export async function installService(
  addon: Pick<Addon, 'installService' | 'fileAcl'>,
  r: InstallRequest,
): Promise<Installed> {
  const rootAcl = (await native(addon.fileAcl(r.dataRoot)))!;
  const code = await untrustedCode(addon, { node: r.node, ...r.code, files: [r.entry, ...r.code.files] });
  if (code)
    throw refuse(
      `${code}. The service runs this code as ${r.account ?? 'LocalSystem'}: install the package and node.exe where ` +
        'only Administrators may write (such as under C:\\Program Files), or correct their permissions',
    );
  const root = untrustedWriters(r.dataRoot, rootAcl, 'replace');
  if (root) throw refuse(root);
  // An audit file elsewhere: no one else may move or replace its folder (and with it the file) to stop the guard.
  const auditFolder = r.audit === undefined ? null : await untrustedFolders(addon, dirname(r.audit), 'replace');
  if (auditFolder) throw refuse(`${auditFolder}. The audit file's folder must be one only Administrators may change`);
  const folder = join(r.dataRoot, 'windows-sessions', r.name);
  await guardFolder(addon, join(r.dataRoot, 'windows-sessions'));
  await guardFolder(addon, folder);
  const policy = join(folder, 'policy.json');
  copyFileSync(r.policy, policy);
  await native(addon.fileAcl(policy, GUARD_FILE_SDDL));
  const audit = r.audit ?? join(folder, 'audit.jsonl');
  closeSync(openSync(audit, 'a'));
  await native(addon.fileAcl(audit, GUARD_FILE_SDDL));
  // The installing administrator (whom install trusted as the code's owner) is trusted at each start too.
  const installer = rootAcl.self;
  const commandLine = serviceCommandLine(r.node, r.entry, {
    policy,
    name: r.name,
    audit,
    servers: r.servers,
    installer,
  });
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
