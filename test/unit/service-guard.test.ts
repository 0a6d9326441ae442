// What a non-administrator on a shared host could do to steer the service, refused: a folder of the guard's made in
// advance, code the service runs that others may change, ACEs that cannot be judged, a policy swapped or held open,
// and a stop held up by the boot wait. ACLs are literal tables of what Windows sets (winnt.h masks, MS-DTYP ACE types).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RawFileAcl } from '../../lib/native/addon.js';
import { codeChecks, untrustedCode } from '../../lib/service/code-access.js';
import { installService } from '../../lib/service/install-service.js';
import { GUARD_FILE_SDDL, readGuardedFile, untrustedWriters } from '../../lib/service/policy-file-access.js';
import { remoteDesktopReady } from '../../lib/service/remote-desktop-ready.js';

const SY = 'S-1-5-18';
const BA = 'S-1-5-32-544';
const BU = 'S-1-5-32-545';
const AU = 'S-1-5-11';
const TI = 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464';
const EVE = 'S-1-5-21-1-2-3-1001';
const ADMIN = 'S-1-5-21-1-2-3-500';
// winnt.h: FILE_ALL_ACCESS, FILE_GENERIC_READ|EXECUTE (RX), Modify (M), FILE_APPEND_DATA/ADD_SUBDIRECTORY (AD),
// and the flags OBJECT_INHERIT|CONTAINER_INHERIT, INHERIT_ONLY, INHERITED.
const FA = 0x1f01ff;
const RX = 0x1200a9;
const M = 0x1301bf;
const AD = 0x4;
const OICI = 0x3;
const IO = 0x8;
const INHERITED = 0x10;
const ace = (sid: string, mask: number, flags = 0, type = 0) => ({ type, allow: type === 0, flags, mask, sid });
const acl = (owner: string, dacl: RawFileAcl['dacl'], attributes = 0x10): RawFileAcl => ({
  owner,
  self: ADMIN,
  attributes,
  dacl,
});

// C:\ on Windows 10 (icacls): Administrators and SYSTEM full, Users RX, Authenticated Users Modify for subfolders only
// and "create folders" on the root itself; owner TrustedInstaller.
const driveRoot = acl(TI, [
  ace(BA, FA, OICI),
  ace(SY, FA, OICI),
  ace(BU, RX, OICI),
  ace(AU, M, OICI | IO),
  ace(AU, AD),
]);
// A folder an administrator makes in C:\ inherits Modify for Authenticated Users.
const underDriveRoot = acl(BA, [
  ace(BA, FA, OICI | INHERITED),
  ace(SY, FA, OICI | INHERITED),
  ace(BU, RX, OICI | INHERITED),
  ace(AU, M, OICI | INHERITED),
]);
// C:\Program Files and what is installed in it: TrustedInstaller and Administrators change it, Users read.
const programFiles = acl(TI, [ace(TI, FA, OICI), ace(SY, FA, OICI), ace(BA, FA, OICI), ace(BU, RX, OICI)]);
// C:\ProgramData: Users may create folders and files (and, through CREATOR OWNER, own what they create).
const programData = acl(SY, [
  ace(SY, FA, OICI),
  ace(BA, FA, OICI),
  ace('S-1-3-0', FA, OICI | IO),
  ace(BU, RX, OICI),
  ace(BU, 0x2 | 0x4 | 0x10 | 0x100, 0x2),
]);

function fakeAddon(tables: Record<string, RawFileAcl | Error>) {
  const protectedPaths: string[] = [];
  const installed: string[] = [];
  return {
    protectedPaths,
    installed,
    fileAcl: (path: string, sddl?: string | null) => {
      if (sddl) {
        protectedPaths.push(`${path} ${sddl}`);
        return Promise.resolve(undefined);
      }
      const t = tables[path] ?? tables['*'];
      if (t === undefined) throw new Error(`no table for ${path}`);
      return t instanceof Error ? Promise.reject(t) : Promise.resolve(t);
    },
    commandLines: [] as string[],
    installService(o: { name: string; commandLine: string }) {
      this.commandLines.push(o.commandLine);
      installed.push(o.name);
      return Promise.resolve({ delayedAutoStart: true });
    },
  };
}

describe('the code the service runs', () => {
  const code = {
    node: 'C:\\Program Files\\nodejs\\node.exe',
    packageRoot: 'C:\\guard\\node_modules\\windows-sessions',
    files: [
      'C:\\guard\\node_modules\\windows-sessions\\dist\\service.cjs',
      'C:\\guard\\node_modules\\windows-sessions\\prebuilds\\win32-x64\\windows-sessions.node',
    ],
    helpers: ['C:\\guard\\node_modules\\node-gyp-build\\index.js'],
  };
  it('judges the files and the folders code is looked for in strictly, the folders above them for replacement', () => {
    expect(codeChecks(code)).toEqual([
      { path: 'C:\\', rights: 'replace' },
      { path: 'C:\\Program Files', rights: 'replace' },
      { path: 'C:\\guard', rights: 'replace' },
      { path: 'C:\\guard\\node_modules', rights: 'replace' },
      { path: 'C:\\Program Files\\nodejs', rights: 'write' },
      { path: 'C:\\guard\\node_modules\\node-gyp-build', rights: 'write' },
      { path: 'C:\\guard\\node_modules\\windows-sessions', rights: 'write' },
      { path: 'C:\\guard\\node_modules\\windows-sessions\\dist', rights: 'write' },
      { path: 'C:\\guard\\node_modules\\windows-sessions\\prebuilds', rights: 'write' },
      { path: 'C:\\guard\\node_modules\\windows-sessions\\prebuilds\\win32-x64', rights: 'write' },
      ...[code.node, ...code.files, ...code.helpers].map((path) => ({ path, rights: 'write' })),
    ]);
  });
  it('passes C:\\ itself (Authenticated Users may only add folders) and refuses a package under C:\\guard', async () => {
    expect(untrustedWriters('C:\\', driveRoot, 'replace')).toBeNull();
    const tables: Record<string, RawFileAcl> = { '*': underDriveRoot, 'C:\\': driveRoot };
    for (const p of ['C:\\Program Files', 'C:\\Program Files\\nodejs', code.node]) tables[p] = programFiles;
    const problem = await untrustedCode(fakeAddon(tables), code);
    expect(problem).toContain(`C:\\guard may be moved or replaced by ${AU}`);
    expect(problem).toContain(`${code.files[0]} may be changed by ${AU}`);
    expect(problem).not.toMatch(/C:\\\\ may|Program Files/);
    // The same package under C:\Program Files passes.
    expect(await untrustedCode(fakeAddon({ ...tables, '*': programFiles }), code)).toBeNull();
  });
  it("trusts the installing administrator's own SID, as in a global npm install in their profile", async () => {
    // %APPDATA%\npm: made elevated (owner Administrators), with the profile's full control for its user inherited.
    const profile = acl(BA, [
      ace(SY, FA, OICI | INHERITED),
      ace(BA, FA, OICI | INHERITED),
      ace(ADMIN, FA, OICI | INHERITED),
    ]);
    const started = { ...profile, self: SY }; // as the service, LocalSystem, reads it
    const global = {
      node: 'C:\\Program Files\\nodejs\\node.exe',
      packageRoot: 'C:\\Users\\admin\\AppData\\Roaming\\npm\\node_modules\\windows-sessions',
      files: ['C:\\Users\\admin\\AppData\\Roaming\\npm\\node_modules\\windows-sessions\\dist\\service.cjs'],
      helpers: [],
    };
    const tables = {
      '*': started,
      'C:\\': driveRoot,
      'C:\\Program Files': programFiles,
      'C:\\Program Files\\nodejs': programFiles,
      [global.node]: programFiles,
    };
    expect(await untrustedCode(fakeAddon(tables), global)).toMatch(new RegExp(`may be changed by ${ADMIN}`));
    expect(await untrustedCode(fakeAddon(tables), { ...global, installer: ADMIN })).toBeNull();
  });
  it('refuses install, before anything is made, when others may change that code', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'ws-guard-'));
    const addon = fakeAddon({ '*': underDriveRoot, [dataRoot]: programData });
    const policy = join(dataRoot, 'p.json');
    writeFileSync(policy, '{}');
    const request = { name: 'g', policy, audit: undefined, servers: [null], account: undefined, dataRoot };
    await expect(
      installService(addon, { ...request, node: code.node, entry: code.files[0]!, code: { ...code, files: [] } }),
    ).rejects.toThrow(/^service not installed: .*C:\\guard may be moved or replaced by S-1-5-11.*C:\\Program Files/);
    expect([addon.protectedPaths, addon.installed]).toEqual([[], []]);
  });
});

describe("install's folders in %ProgramData%", () => {
  const code = { node: 'C:\\n\\node.exe', packageRoot: 'C:\\p', files: [], helpers: [] };
  const setUp = (existing: RawFileAcl | null) => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'ws-guard-'));
    const folder = join(dataRoot, 'windows-sessions');
    if (existing) mkdirSync(folder);
    const policy = join(dataRoot, 'p.json');
    writeFileSync(policy, '{}');
    const addon = fakeAddon({
      '*': programFiles,
      [dataRoot]: programData,
      ...(existing ? { [folder]: existing } : {}),
    });
    const request = { name: 'g', policy, audit: undefined, servers: [null], account: undefined, dataRoot };
    return {
      addon,
      folder,
      run: () => installService(addon, { ...request, node: code.node, entry: 'C:\\p\\e', code }),
    };
  };
  it('makes and protects windows-sessions itself, then <name>, the policy and the audit file; Users get nothing', async () => {
    const { addon, folder, run } = setUp(null);
    await run();
    const folderSddl = 'O:BAD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)';
    const fileSddl = 'O:BAD:PAI(A;;FA;;;SY)(A;;FA;;;BA)';
    expect(GUARD_FILE_SDDL).toBe(fileSddl);
    expect(addon.protectedPaths).toEqual([
      `${folder} ${folderSddl}`,
      `${join(folder, 'g')} ${folderSddl}`,
      `${join(folder, 'g', 'policy.json')} ${fileSddl}`,
      `${join(folder, 'g', 'audit.jsonl')} ${fileSddl}`,
    ]);
    expect(addon.installed).toEqual(['g']);
    // The installing administrator (the token's user), trusted at each start as install trusted it.
    expect(addon.commandLines[0]).toMatch(/ "--installer" "S-1-5-21-1-2-3-500"$/);
  });
  it('refuses a windows-sessions folder a user made in advance (its owner), or a junction, naming the path', async () => {
    // What a standard user's folder in ProgramData looks like: owned by them, full control through CREATOR OWNER.
    const eves = setUp(acl(EVE, [ace(EVE, FA, OICI | INHERITED), ace(SY, FA, OICI | INHERITED)]));
    await expect(eves.run()).rejects.toThrow(
      `service not installed: ${eves.folder} is owned by ${EVE}, who may change its permissions; its owner must be Administrators or SYSTEM`,
    );
    expect([eves.addon.protectedPaths, eves.addon.installed]).toEqual([[], []]);
    await expect(eves.run()).rejects.toMatchObject({ code: 'ERR_UNTRUSTED_PATH' });
    // FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT, owned by Administrators: still refused.
    const junction = setUp(acl(BA, [ace(SY, FA), ace(BA, FA)], 0x10 | 0x400));
    await expect(junction.run()).rejects.toThrow(
      `${junction.folder} is a junction, symbolic link or other reparse point`,
    );
    expect(junction.addon.installed).toEqual([]);
    // One left by an earlier install (Administrators own it) is protected again and used.
    const earlier = setUp(acl(BA, [ace(SY, FA, OICI), ace(BA, FA, OICI)]));
    await earlier.run();
    expect(earlier.addon.installed).toEqual(['g']);
  });
});

describe('an audit file elsewhere (--audit)', () => {
  it('is refused in a folder others may move or replace: a guard that cannot audit does not act', async () => {
    const dataRoot = mkdtempSync(join(tmpdir(), 'ws-guard-'));
    const policy = join(dataRoot, 'p.json');
    writeFileSync(policy, '{}');
    const code = { node: 'C:\\n\\node.exe', packageRoot: 'C:\\p', files: [], helpers: [] };
    const request = {
      name: 'g',
      policy,
      servers: [null],
      account: undefined,
      dataRoot,
      node: code.node,
      entry: 'C:\\p\\e',
      code,
    };
    // C:\logs made by an administrator inherits Modify (with DELETE) for Authenticated Users from C:\.
    const addon = fakeAddon({ '*': programFiles, [dataRoot]: programData, '/logs': underDriveRoot, '/': driveRoot });
    await expect(installService(addon, { ...request, audit: '/logs/audit.jsonl' })).rejects.toThrow(
      `service not installed: /logs may be moved or replaced by ${AU}; only Administrators and SYSTEM may have write access. The audit file's folder must be one only Administrators may change`,
    );
    expect(addon.installed).toEqual([]);
    const safe = fakeAddon({ '*': programFiles, [dataRoot]: programData, '/logs': programFiles, '/': driveRoot });
    mkdirSync(join(dataRoot, 'logs'));
    await installService(safe, { ...request, audit: join(dataRoot, 'logs', 'audit.jsonl') });
    expect(safe.installed).toEqual(['g']);
  });
});

describe('ACEs that cannot be judged', () => {
  it('refuses a DACL with any ACE type but ACCESS_ALLOWED (0) and ACCESS_DENIED (1)', () => {
    const base = [ace(SY, FA), ace(BA, FA)];
    expect(untrustedWriters('p', acl(BA, [...base, ace(BU, 0, 0, 1)]))).toBeNull();
    // ACCESS_ALLOWED_OBJECT_ACE_TYPE 5, ACCESS_ALLOWED_CALLBACK_ACE_TYPE 9 (a conditional ACE), even inherit-only.
    for (const type of [5, 9, 11])
      expect(untrustedWriters('p', acl(BA, [...base, ace('', 0, IO, type)]))).toBe(
        `p has an access entry of type ${type}, which cannot be judged; only allow and deny entries may be in its DACL`,
      );
  });
});

describe('reading the policy', () => {
  const guarded = acl(BA, [ace(SY, FA), ace(BA, FA)], 0x20);
  const folder = 'C:\\ProgramData\\windows-sessions\\g';
  const path = `${folder}\\policy.json`;
  it('reads it through the handle it judged, after judging its folder too', async () => {
    const calls: string[] = [];
    const addon = {
      fileAcl: (p: string, sddl?: string | null, withData?: boolean) => {
        calls.push(`${p}${withData ? ' +data' : ''}`);
        return Promise.resolve({ ...guarded, ...(withData ? { data: Buffer.from('{"rules":{}}') } : {}) });
      },
    };
    expect((await readGuardedFile(addon, path)).toString()).toBe('{"rules":{}}');
    expect(calls).toEqual([folder, 'C:\\ProgramData\\windows-sessions', 'C:\\ProgramData', 'C:\\', `${path} +data`]);
  });
  it('refuses a folder Users may add files to, and a file they may write', async () => {
    const writableFolder = acl(BA, [ace(SY, FA), ace(BA, FA), ace(BU, 0x2 | 0x4)]);
    await expect(readGuardedFile(fakeAddon({ '*': guarded, [folder]: writableFolder }), path)).rejects.toThrow(
      `${folder} may be changed by ${BU}`,
    );
    // A folder above that Users may rename or empty (FILE_DELETE_CHILD), as a user's own folder would be.
    const above = acl(BA, [ace(SY, FA), ace(BA, FA), ace(BU, 0x40)]);
    await expect(readGuardedFile(fakeAddon({ '*': guarded, 'C:\\ProgramData': above }), path)).rejects.toThrow(
      `C:\\ProgramData may be moved or replaced by ${BU}`,
    );
    // C:\ProgramData as Windows ships it passes.
    expect(
      await readGuardedFile(
        fakeAddon({ '*': { ...guarded, data: Buffer.from('{}') }, 'C:\\ProgramData': programData, 'C:\\': driveRoot }),
        path,
      ),
    ).toEqual(Buffer.from('{}'));
    const writable = acl(BA, [ace(SY, FA), ace(BA, FA), ace(BU, 0x120116)]);
    await expect(readGuardedFile(fakeAddon({ '*': guarded, [path]: writable }), path)).rejects.toThrow(
      `${path} may be changed by ${BU}`,
    );
  });
  it('tries again after a sharing violation (32), 0.1 s, 0.2 s ..., and gives up with the error', async () => {
    const violation = Object.assign(new Error('in use'), { errno: 32, syscall: 'CreateFileW' });
    let refusals = 2;
    const addon = {
      fileAcl: (_p: string, _s?: string | null, withData?: boolean) =>
        withData && refusals-- > 0
          ? Promise.reject(violation)
          : Promise.resolve({ ...guarded, data: Buffer.from('x') }),
    };
    const slept: number[] = [];
    const sleep = (ms: number) => {
      slept.push(ms);
      return Promise.resolve();
    };
    expect((await readGuardedFile(addon, path, sleep)).toString()).toBe('x');
    expect(slept).toEqual([100, 200]);
    refusals = 100;
    slept.length = 0;
    await expect(readGuardedFile(addon, path, sleep)).rejects.toMatchObject({ errno: 32, syscall: 'CreateFileW' });
    expect(slept).toEqual([100, 200, 400, 800, 1600, 3200]);
  });
});

describe('a stop during the boot wait', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  it('ends the wait at once, not at the end of its sleep', async () => {
    vi.useFakeTimers();
    const stop = new AbortController();
    let settled = false;
    const waiting = remoteDesktopReady({ termServReady: () => 'waiting' }, stop.signal).then((s) => {
      settled = true;
      return s;
    });
    await vi.advanceTimersByTimeAsync(1500); // past the 1 s look, into the 2 s sleep
    expect(settled).toBe(false);
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    expect(await waiting).toBe('waiting');
  });
});
