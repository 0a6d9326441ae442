// Issue 26, item 1, in Windows node.exe under Wine: more watched servers than wait threads. With
// WINDOWS_SESSIONS_WAIT_THREADS=1 the addon gives its one wait thread to one server and refuses the others' waits
// (ERROR_TOO_MANY_TCBS) instead of queuing them behind a wait that never ends; watchSessions polls those and says
// so. Every server's sign-in is seen: the watched one's through its event, the polled ones' through their listings.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseScenario, type Scenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario } from './wine/standin-scenario.js';
import { winPath } from './wine/environment.js';
import { useWine } from './wine/use-wine.js';
import { runWindowsScript, WindowsNode } from './wine/windows-node.js';

const wine = useWine();
const HOSTS = ['h1.farm.test', 'h2.farm.test', 'h3.farm.test'];

/** Three hosts with alice each; with `eve`, eve has signed in on each, and each host's next wait returns a logon. */
function farm(eve: boolean): Scenario {
  const scenario = baseScenario();
  const alice = scenario.servers['ts01.contoso.test']!;
  scenario.servers = Object.fromEntries(
    HOSTS.map((h) => [h, eve ? [...alice, { ...alice[1]!, id: 2, userName: 'eve', stationName: 'RDP-Tcp#1' }] : alice]),
  );
  scenario.events = eve ? HOSTS.map((server) => ({ types: ['logon'], delayMs: 0, server })) : [];
  return scenario;
}

function script(pkg: string, fire: string): string {
  return `
const fs = require('node:fs');
const path = require('node:path');
const ws = require(${JSON.stringify(pkg)});
const hosts = ${JSON.stringify(HOSTS)};
const until = async (done, ms = 20000) => {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
};
(async () => {
  const modes = [];
  const seen = [];
  const stop = new AbortController();
  const loops = hosts.map(async (server) => {
    for await (const e of ws.watchSessions({ server, pollEvery: 300, signal: stop.signal, onMode: (m) => modes.push(m) }))
      seen.push([e.server, e.type]);
  });
  await until(() => modes.length === hosts.length);
  await new Promise((r) => setTimeout(r, 700)); // each polled host has its first listing
  const target = path.join(process.env.WTS_STANDIN_DIR, 'scenario.txt');
  fs.copyFileSync(${JSON.stringify(fire)}, target + '.next');
  fs.renameSync(target + '.next', target);
  await until(() => hosts.every((h) => seen.some(([s, t]) => s === h && t === 'logon')));
  stop.abort();
  await Promise.all(loops);
  fs.writeFileSync(path.join(process.env.WTS_STANDIN_DIR, 'result.json'), JSON.stringify({ modes, seen }));
  console.log('done');
})().catch((e) => { console.log('failed: ' + (e && e.stack)); process.exit(1); });
`;
}

describe.runIf(wine)('more watched servers than wait threads, under Wine', () => {
  it('one server watched on the one wait thread, the others polled and said to be, and every sign-in seen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-wait-threads-'));
    writeStandinScenario(dir, farm(false));
    const staged = join(dir, 'fire');
    mkdirSync(staged);
    writeStandinScenario(staged, farm(true));
    const file = join(dir, 'wait-threads.cjs');
    const pkg = winPath(join(wine!.installDir, 'node_modules', 'windows-sessions'));
    writeFileSync(file, script(pkg, winPath(join(staged, 'scenario.txt'))));
    const run = runWindowsScript(wine!, file, [], dir, { env: { WINDOWS_SESSIONS_WAIT_THREADS: '1' } });
    expect([run.code, run.stdout.trim(), run.stderr]).toEqual([0, 'done', '']);
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8')) as {
      modes: { server: string; mode: string; pollEveryMs: number | null }[];
      seen: [string, string][];
    };
    const watched = result.modes.filter((m) => m.mode === 'watched');
    expect(watched).toHaveLength(1);
    expect(result.modes.filter((m) => m.mode === 'polled').map((m) => m.pollEveryMs)).toEqual([300, 300]);
    expect(result.modes.map((m) => m.server).sort()).toEqual(HOSTS);
    for (const host of HOSTS) expect(result.seen, host).toContainEqual([host, 'logon']);
    // One wait at a time ever blocked in the stand-in: the pool never started a second thread for the others.
    const stats = readStandinStats(dir);
    expect(stats.waitsPeak).toBe(1);
    expect(stats.waitConflicts).toBe(0);
  });
});

// The stand-in's farm (its X lines), which bench/farm.run.ts measures: hosts by name with synthesized sessions, a
// host that is down, and a sign-in scripted at a chosen time that both a listing and a blocked wait see.
describe.runIf(wine)('the stand-in farm, under Wine', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
  });
  afterAll(async () => {
    await windows.stop();
  });

  it('lists a farm host, fails a down one with 1722, and shows a scripted sign-in to a listing and a wait', async () => {
    const farm = { prefix: 'ts', count: 3, sessions: 4, rttMs: 5, down: [[2, 3, 50]] as [number, number, number][] };
    writeStandinScenario(windows.standinDir, baseScenario(), { farm });
    const backend = windows.backend();
    const listed = await backend.listSessions('TS1', false, true);
    expect(listed.map((s) => [s.id, s.userName, s.domain, s.state, s.clientAddress])).toEqual(
      [1, 2, 3, 4].map((id) => [id, `u${id}`, 'FARM', 'active', '10.0.0.1']),
    );
    // Times that stay put between listings, as a real sign-in's do (a poll compares logon times).
    const again = await backend.listSessions('ts1', false, true);
    expect(again.map((s) => s.logonTime?.getTime())).toEqual(listed.map((s) => s.logonTime?.getTime()));
    // One WTSEnumerateSessionsExW call gives the same sessions in summary.
    expect((await backend.listSessionSummaries!('ts1')).map((s) => [s.id, s.userName, s.domain, s.state])).toEqual(
      [1, 2, 3, 4].map((id) => [id, `u${id}`, 'FARM', 'active']),
    );
    await expect(backend.listSessions('ts2')).rejects.toMatchObject({ errno: 1722 });
    await expect(backend.listSessions('ts3')).rejects.toMatchObject({ errno: 1722 }); // not in the farm
    const watch = await backend.watchEvents('ts0');
    const at = Date.now() + 1500;
    const next = watch.next(['logon']);
    writeStandinScenario(windows.standinDir, baseScenario(), {
      farm: { ...farm, logons: [{ host: 0, at, user: 'eve' }] },
    });
    expect(await next).toEqual(['logon']);
    expect(Date.now()).toBeGreaterThanOrEqual(at - 20);
    await watch.close();
    const after = await backend.listSessions('ts0', false, true);
    expect(after.find((s) => s.id === 1000)).toMatchObject({
      userName: 'eve',
      clientAddress: '203.0.113.9',
      logonTime: new Date(at),
    });
    expect(readStandinStats(windows.standinDir).handles).toBe(0);
  });
});
