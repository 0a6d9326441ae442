// The enforcer as a Windows service under Wine's Service Control Manager (services.exe): installed by the CLI in
// Windows node.exe, started, enforcing against the stand-in, told of a session change, stopped and uninstalled.
// Wine's SCM and sc.exe are real; what Wine cannot show is captured by the stand-in (standin/service_capture.h):
// ReportEventW (Wine's event log keeps no records) and the SESSIONCHANGE control (Wine's ControlService refuses
// control 14 from a client, so the stand-in hands it to the handler the addon registered).
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  closeSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { baseScenario } from '../contract/scenario.js';
import { EVENT_IDS } from '../../lib/service/event-ids.js';
import { readStandinCalls, writeStandinScenario } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { CACHE, DEFAULT_NODE, WINE, winPath, wineEnv } from './wine/environment.js';
import { runWindowsScript } from './wine/windows-node.js';

const wine = useWine();
const NAME = 'ws-guard-test';
// winsvc.h and winuser.h / wtsapi32.h, by number.
const SERVICE_CONTROL_SESSIONCHANGE = 14;
const WTS_SESSION_LOGON = 5;

interface Audit {
  outcome: string;
  session: number | null;
}

describe.runIf(wine)('the enforcer as a Windows service under Wine', () => {
  // A private copy of the prefix: its own wineserver (kept running, since Wine ends services about 3 s after the last
  // ordinary process), its own services and registry, so that no other suite is touched.
  // In the cache folder, not /tmp: Node resolves C:\ to the Unix folder (Z:\...), and every folder above the code
  // the service runs must be one others cannot replace; Wine gives Everyone delete rights in /tmp (mode 1777).
  const prefix = mkdtempSync(join(CACHE, 'service-prefix-'));
  const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-service-'));
  // node.exe and the package installed in the prefix's C:\ as an administrator would (C:\nodejs, C:\app).
  const driveC = join(prefix, 'drive_c');
  const app = join(driveC, 'app');
  const env = () => ({
    ...wine!,
    prefix,
    installDir: app,
    nodes: { [DEFAULT_NODE]: join(driveC, 'nodejs', 'node.exe') },
  });
  // Output through a file: a process Wine starts on the way (services.exe) may hold a pipe open for ever.
  const wineRun = (args: string[]) => {
    const file = join(dir, 'wine-out.txt');
    const fd = openSync(file, 'w');
    const r = spawnSync(WINE, args, { env: wineEnv(prefix), stdio: ['ignore', fd, fd], timeout: 60_000 });
    closeSync(fd);
    return { code: r.status, out: readFileSync(file, 'utf8') };
  };
  const sc = (...args: string[]) => wineRun(['sc', ...args]);
  const pkg = join(app, 'node_modules', 'windows-sessions');
  const cli = () => join(pkg, 'dist', 'cli.cjs');
  // In C:\logs, not /tmp: the service refuses an audit file in a folder others may move or replace.
  const audit = join(driveC, 'logs', 'audit.jsonl');
  const auditLines = (): Audit[] =>
    existsSync(audit)
      ? readFileSync(audit, 'utf8')
          .split(/\r?\n/)
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Audit)
      : [];
  const until = async (what: string, ok: () => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; audit: ${JSON.stringify(auditLines())}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };

  /** What the stand-in captured of ReportEventW (standin/service_capture.h): text as Event Viewer would show it. */
  const readEvents = () =>
    readFileSync(join(dir, 'events.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => {
        const [type, id, source, text, data] = line.split(' ');
        const utf16 = (hex: string) => (hex === '-' ? null : Buffer.from(hex, 'hex').toString('utf16le'));
        return {
          type: Number(type),
          id: Number(id),
          source: utf16(source!),
          text: utf16(text!),
          data: JSON.parse(Buffer.from(data!, 'hex').toString('utf8')) as Audit,
        };
      });

  afterAll(() => {
    spawnSync(join(dirname(WINE), 'wineserver'), ['-k'], { env: wineEnv(prefix), stdio: 'ignore' });
    rmSync(prefix, { recursive: true, force: true });
  });

  it('installs, runs, enforces, checks a session change at once, stops within its wait hint and uninstalls', async () => {
    spawnSync('cp', ['-a', `${wine!.prefix}/.`, prefix]);
    cpSync(wine!.installDir, app, { recursive: true });
    mkdirSync(join(driveC, 'logs'));
    mkdirSync(join(driveC, 'nodejs'));
    cpSync(wine!.nodes[DEFAULT_NODE]!, join(driveC, 'nodejs', 'node.exe'));
    spawnSync(join(dirname(WINE), 'wineserver'), ['-p'], { env: wineEnv(prefix), stdio: 'ignore' });
    // The SCM starts the service with its own environment: the stand-in is chosen in the registry, its folder in a file.
    wineRun(['reg', 'add', 'HKCU\\Software\\Wine\\DllOverrides', '/v', 'wtsapi32', '/d', 'native', '/f']);
    writeFileSync(join(prefix, 'drive_c', 'windows', 'system32', 'wtsapi32-standin.txt'), winPath(dir));

    const scenario = baseScenario(); // bob (2) from 192.0.2.15; dave (4) from 2001:db8::7
    // As at boot before Remote Desktop Services is ready: the first two listings fail with RPC_S_INVALID_BINDING.
    writeStandinScenario(dir, scenario, {
      rules: [{ fn: 'WTSEnumerateSessionsW', errno: 1702, server: null, times: 2 }],
    });
    const policy = join(dir, 'policy.json');
    writeFileSync(
      policy,
      JSON.stringify({
        trust: { users: ['CONTOSO\\dave', 'CONTOSO\\carol'], clientAddresses: ['10.0.0.0/8'] },
        rules: { untrustedClient: { action: 'signOut' } },
      }),
    );
    const installArgs = ['service', 'install', winPath(policy), '--name', NAME, '--audit', winPath(audit), '--json'];
    // Code the service would run as SYSTEM that others may change: refused (exit 3), nothing installed. (Wine derives
    // a file's DACL from its Unix mode: o+w gives Everyone, S-1-1-0, write.)
    chmodSync(join(pkg, 'dist'), 0o777);
    const untrusted = runWindowsScript(env(), cli(), installArgs, dir);
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toContain(
      `service not installed: ${winPath(join(pkg, 'dist'))} may be changed by S-1-1-0; only Administrators and SYSTEM may have write access.`,
    );
    expect(existsSync(join(driveC, 'ProgramData', 'windows-sessions'))).toBe(false);
    console.log(`install from a folder anyone may change: ${untrusted.stderr.trim()}`);
    chmodSync(join(pkg, 'dist'), 0o755);
    // A windows-sessions folder someone made first, anyone may write: install protects it as well as its own.
    const made = join(driveC, 'ProgramData', 'windows-sessions');
    mkdirSync(made);
    chmodSync(made, 0o777);
    const install = runWindowsScript(env(), cli(), installArgs, dir);
    expect(install.code, install.stderr).toBe(0);
    expect(statSync(made).mode & 0o002).toBe(0);
    const installed = JSON.parse(install.stdout) as { commandLine: string; policy: string };
    expect(installed.commandLine).toContain('service.cjs');
    // Wine's sc.exe has no qc: the SCM's record of the service, in the registry. (Wine 8 takes the failure actions
    // but keeps none, and refuses the delayed start: neither can be seen here.)
    const config = wineRun(['reg', 'query', `HKLM\\SYSTEM\\CurrentControlSet\\Services\\${NAME}`]);
    expect(config.out).toMatch(/Start\s+REG_DWORD\s+0x2\b/); // SERVICE_AUTO_START
    expect(config.out).toMatch(/Description\s+REG_SZ\s+Enforces a session policy/);
    console.log(`the service's registry key:\n${config.out}`);

    // A policy file a non-administrator may change is refused, and the reason is in the Application log. (Wine keeps
    // no security descriptor of its own for a file: it derives one from the Unix mode, o+w giving Everyone write.)
    const copy = join(prefix, 'drive_c', 'ProgramData', 'windows-sessions', NAME, 'policy.json');
    chmodSync(copy, 0o666);
    const refused = runWindowsScript(env(), cli(), ['service', 'start', '--name', NAME], dir);
    expect(refused.code).toBe(1);
    expect(refused.stdout.trim()).toBe(`${NAME}: stopped (exit 1066/1)`); // ERROR_SERVICE_SPECIFIC_ERROR
    const refusal = readEvents();
    expect(refusal.map((e) => [e.type, e.id])).toEqual([[1, EVENT_IDS.startRefused]]);
    expect(refusal[0]!.text).toContain(
      `may be changed by S-1-1-0; only Administrators and SYSTEM may have write access`,
    );
    console.log(`refused: ${refused.stdout.trim()}\nevent ${refusal[0]!.id}: ${refusal[0]!.text?.trim()}`);
    rmSync(join(dir, 'events.log'));
    chmodSync(copy, 0o644);

    // Likewise when the code it runs became changeable by others after install: event 1003 says which file.
    const entryScript = join(pkg, 'dist', 'service.cjs');
    chmodSync(entryScript, 0o666);
    const codeRefused = runWindowsScript(env(), cli(), ['service', 'start', '--name', NAME], dir);
    expect(codeRefused.stdout.trim()).toBe(`${NAME}: stopped (exit 1066/1)`);
    const codeEvent = readEvents();
    expect(codeEvent.map((e) => e.id)).toEqual([EVENT_IDS.startRefused]);
    expect(codeEvent[0]!.text).toContain(
      `others may change the code the service runs: ${winPath(entryScript)} may be changed by S-1-1-0`,
    );
    console.log(`code refused: event ${codeEvent[0]!.id}: ${codeEvent[0]!.text?.trim()}`);
    rmSync(join(dir, 'events.log'));
    chmodSync(entryScript, 0o644);

    // Run by hand rather than by the SCM, the entry point says so and does nothing.
    const entry = join(pkg, 'dist', 'service.cjs');
    const byHand = runWindowsScript(env(), entry, [winPath(policy), '--name', NAME], dir);
    expect(byHand.code).toBe(1);
    expect(byHand.stderr).toMatch(/^windows-sessions service: .*\(StartServiceCtrlDispatcherW 1063\)/);
    console.log(`by hand: ${byHand.stderr.trim()}`);

    const start = runWindowsScript(env(), cli(), ['service', 'start', '--name', NAME], dir);
    expect(start.code, start.stderr).toBe(0);
    console.log(`service start: ${start.stdout}`);
    const query = sc('query', NAME);
    expect(query.out).toMatch(/STATE\s*:\s*4\s+RUNNING/);
    console.log(`sc query ${NAME}:\n${query.out}`);
    const status = runWindowsScript(env(), cli(), ['service', 'status', '--name', NAME, '--json'], dir);
    expect(JSON.parse(status.stdout)).toMatchObject({ name: NAME, state: 'running', win32ExitCode: 0 });
    console.log(`service status --json: ${status.stdout.trim()}`);

    // It enforces: bob's session, from an untrusted address, is signed out and audited.
    await until('the sign-out of session 2', () => auditLines().some((r) => r.outcome === 'signedOut'), 60_000);
    expect(readStandinCalls(dir)).toEqual([{ op: 'logoff', server: null, sessionId: 2, wait: false }]);

    // A new untrusted session appears; nothing looks until the SCM reports its logon (the next check is a minute off).
    scenario.sessions = scenario.sessions.filter((s) => s.id !== 2);
    scenario.sessions.push({ ...baseScenario().sessions.find((s) => s.id === 2)!, id: 5, stationName: 'RDP-Tcp#5' });
    writeStandinScenario(dir, scenario);
    await new Promise((r) => setTimeout(r, 3000));
    expect(readStandinCalls(dir).map((c) => c.sessionId)).toEqual([2]);
    const told = Date.now();
    appendFileSync(join(dir, 'control.txt'), `${SERVICE_CONTROL_SESSIONCHANGE} ${WTS_SESSION_LOGON} 5\n`);
    await until('the sign-out of session 5', () => readStandinCalls(dir).some((c) => c.sessionId === 5), 15_000);
    console.log(`session change → sign-out of session 5 after ${Date.now() - told} ms`);

    const stopAt = Date.now();
    const stop = sc('stop', NAME);
    expect(stop.code, stop.out).toBe(0);
    await until('STOPPED', () => /STATE\s*:\s*1\s+STOPPED/.test(sc('query', NAME).out), 20_000);
    console.log(`sc stop → STOPPED in ${Date.now() - stopAt} ms`);
    const records = auditLines();
    expect(records[0]?.outcome).toBe('start');
    // Down at the first check, retried after 1 s and 2 s, up at the third: before any decision.
    expect(records.slice(1, 4).map((r) => r.outcome)).toEqual(['hostDown', 'hostUp', 'decided']);
    expect((records[1] as Audit & { error: { code: string } }).error.code).toBe('RPC_S_INVALID_BINDING');
    expect(records.at(-1)?.outcome).toBe('stop');
    console.log(`audit:\n${readFileSync(audit, 'utf8')}`);

    // Each audit record went to the Application log too, with its stable id, readable text and its JSON as data.
    const events = readEvents();
    console.log(`events:\n${events.map((e) => `${e.type} ${e.id} ${e.source}: ${e.text?.trim()}`).join('\n')}`);
    expect(events.map((e) => e.data)).toEqual(records);
    expect(events.every((e) => e.source === NAME)).toBe(true);
    const ids = events.map((e) => e.id);
    expect(ids[0]).toBe(EVENT_IDS.start);
    expect(ids.at(-1)).toBe(EVENT_IDS.stop);
    expect(ids.filter((id) => id === EVENT_IDS.signedOut)).toHaveLength(2);
    expect(events.slice(1, 3).map((e) => [e.type, e.id])).toEqual([
      [2, EVENT_IDS.hostDown], // EVENTLOG_WARNING_TYPE
      [4, EVENT_IDS.hostUp],
    ]);
    expect(events[0]!.text).toMatch(/^The session guard started enforcing its policy\. Outcome start/);

    // Again with an audit file that cannot be written (a folder where it should be): each record still reaches the
    // Application log, as an error (1004) saying why, and nothing is acted on unaudited. And PRESHUTDOWN (15), which Windows sends before a shutdown,
    // stops it as STOP does (handed to the handler by the stand-in: Wine's ControlService refuses it, as it does 14).
    rmSync(join(dir, 'control.txt'));
    rmSync(join(dir, 'events.log'));
    renameSync(audit, join(driveC, 'logs', 'audit-first.jsonl'));
    mkdirSync(audit);
    const again = runWindowsScript(env(), cli(), ['service', 'start', '--name', NAME], dir);
    expect(again.code, again.stderr).toBe(0);
    await until('the start event', () => existsSync(join(dir, 'events.log')), 30_000);
    appendFileSync(join(dir, 'control.txt'), '15 0 0\n');
    await until('STOPPED after PRESHUTDOWN', () => /STATE\s*:\s*1\s+STOPPED/.test(sc('query', NAME).out), 20_000);
    const unwritten = readEvents();
    // Session 5 is still in the scenario: decided again, but not acted on, since its record could not be written.
    expect(unwritten.map((e) => [e.type, e.id, e.data.outcome, e.data.session])).toEqual([
      [1, EVENT_IDS.auditFailed, 'start', null],
      [1, EVENT_IDS.auditFailed, 'decided', 5],
      [1, EVENT_IDS.auditFailed, 'stop', null],
    ]);
    expect(readStandinCalls(dir)).toHaveLength(2);
    expect(unwritten[0]!.text).toMatch(
      /^An audit record could not be written to the audit file\. .*not written to the audit file: E[A-Z]+/,
    );
    console.log(`unwritable audit:\n${unwritten.map((e) => `${e.type} ${e.id}: ${e.text?.trim()}`).join('\n')}`);

    const uninstall = runWindowsScript(env(), cli(), ['service', 'uninstall', '--name', NAME], dir);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    console.log(`service uninstall: ${uninstall.stdout.trim()}`);
    const gone = sc('query', NAME);
    expect(gone.code, gone.out).not.toBe(0);
    expect(wineRun(['reg', 'query', `HKLM\\SYSTEM\\CurrentControlSet\\Services\\${NAME}`]).code).not.toBe(0);
    const source = wineRun([
      'reg',
      'query',
      `HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Application\\${NAME}`,
    ]);
    expect(source.code).not.toBe(0);
  }, 300_000);

  it('judges and reads a file through one handle, which a holder with share mode 0 keeps out until it closes', () => {
    // UV_FS_O_EXLOCK (libuv's win.h, 0x10000000): Node opens the file with share mode 0, as an editor may.
    const script = join(dir, 'held.cjs');
    writeFileSync(
      script,
      `const fs = require('fs');
const [pkg, file, folder] = process.argv.slice(2);
const addon = require(require.resolve('node-gyp-build', { paths: [pkg] }))(pkg);
(async () => {
  const out = {};
  const held = fs.openSync(file, fs.constants.O_RDONLY | 0x10000000);
  out.whileHeld = await addon.fileAcl(file, null, true).then(() => 'read', (e) => ({ errno: e.errno, syscall: e.syscall }));
  try { fs.closeSync(fs.openSync(file, 'a')); out.appendWhileHeld = 'opened'; } catch (e) { out.appendWhileHeld = e.code; }
  out.aclWhileHeld = await addon.fileAcl(file).then((r) => r.owner !== '', (e) => e.errno);
  fs.closeSync(held);
  const r = await addon.fileAcl(file, null, true);
  const f = await addon.fileAcl(folder);
  out.after = { data: r.data.toString('utf8'), attributes: r.attributes, types: r.dacl.map((a) => a.type), folder: f.attributes, folderData: 'data' in f };
  process.stdout.write(JSON.stringify(out));
})();
`,
    );
    const file = join(dir, 'held-policy.json');
    writeFileSync(file, '{"rules":{}}');
    const pkgDir = join(wine!.installDir, 'node_modules', 'windows-sessions');
    const run = runWindowsScript(wine!, script, [winPath(pkgDir), winPath(file), winPath(dir)], dir);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as {
      whileHeld: unknown;
      appendWhileHeld: string;
      aclWhileHeld: unknown;
      after: { data: string; attributes: number; types: number[]; folder: number; folderData: boolean };
    };
    console.log(`a file held with share mode 0: ${run.stdout}`);
    // ERROR_SHARING_VIOLATION for the read (lib/service retries it); Node's open says EBUSY (the audit file retries).
    expect(out.whileHeld).toEqual({ errno: 32, syscall: 'CreateFileW' });
    expect(out.appendWhileHeld).toBe('EBUSY');
    // Judging alone (no data) shares with everyone: a holder does not stop the check of a folder or the code.
    expect(out.aclWhileHeld).toBe(true);
    expect(out.after.data).toBe('{"rules":{}}');
    expect(out.after.types.every((t) => t === 0)).toBe(true); // Wine derives allow ACEs only
    expect(out.after.attributes & 0x410).toBe(0); // neither FILE_ATTRIBUTE_DIRECTORY nor REPARSE_POINT
    expect(out.after.folder & 0x10).toBe(0x10); // a folder opens too (FILE_FLAG_BACKUP_SEMANTICS)
    expect(out.after.folderData).toBe(false);
  }, 120_000);
});
