import type { MockProcessSeed } from './mock-types.js';
import type { MockSessionSeed } from './seed.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MB = 1024 * 1024;

/** Session 0, where services run; no user since Windows Vista. */
export const SERVICES_SESSION: MockSessionSeed = { id: 0, stationName: 'Services', state: 'disconnected' };

/** The RDP listener: no user, cannot be signed out. */
export const RDP_LISTENER: MockSessionSeed = { id: 65536, stationName: 'RDP-Tcp', state: 'listen', protocol: 'rdp' };

/**
 * A small server as `query session` would show it, with times relative to `now`: the services session, alice at the
 * console (the caller's session, id 1), bob over RDP, carol disconnected for two hours, and the RDP listener.
 */
export function demoSessions(now: number): MockSessionSeed[] {
  return [
    SERVICES_SESSION,
    {
      id: 1,
      stationName: 'Console',
      userName: 'alice',
      domain: 'CONTOSO',
      logonTime: now - 3 * HOUR,
      connectTime: now - 3 * HOUR,
      lastInputTime: now - MINUTE,
    },
    {
      id: 2,
      stationName: 'RDP-Tcp#2',
      userName: 'bob',
      domain: 'CONTOSO',
      clientName: 'BOB-LAPTOP',
      clientAddress: '192.0.2.15',
      logonTime: now - 50 * MINUTE,
      connectTime: now - 50 * MINUTE,
      lastInputTime: now - 20 * MINUTE,
    },
    {
      id: 3,
      stationName: '',
      state: 'disconnected',
      userName: 'carol',
      domain: 'CONTOSO',
      logonTime: now - 26 * HOUR,
      connectTime: now - 5 * HOUR,
      disconnectTime: now - 2 * HOUR,
      lastInputTime: now - 2 * HOUR - 5 * MINUTE,
    },
    RDP_LISTENER,
  ];
}

/** Processes for the demo server: a few per session, owned as on a real machine. */
export function demoProcesses(): MockProcessSeed[] {
  const system = { userName: 'SYSTEM', domain: 'NT AUTHORITY', userSid: 'S-1-5-18' };
  const user = (name: string, rid: number) => ({
    userName: name,
    domain: 'CONTOSO',
    userSid: `S-1-5-21-1004336348-1177238915-682003330-${rid}`,
  });
  // What each uses (working set and page file in MB, handles, threads, processors it keeps busy), for --usage and top.
  const usage = (ws: number, pf: number, handles: number, threads: number, cpuLoad: number) => ({
    usage: { workingSetBytes: Math.round(ws * MB), pagefileBytes: Math.round(pf * MB), handles, threads, cpuLoad },
  });
  return [
    { pid: 4, name: 'System', sessionId: 0, ...system, ...usage(0.1, 0.2, 3200, 180, 0.02) },
    { pid: 688, name: 'services.exe', sessionId: 0, ...system, ...usage(9, 6, 720, 11, 0.005) },
    { pid: 612, name: 'csrss.exe', sessionId: 1, ...system, ...usage(5, 2, 610, 12, 0.002) },
    { pid: 4312, name: 'explorer.exe', sessionId: 1, ...user('alice', 1104), ...usage(118, 64, 2450, 70, 0.04) },
    { pid: 5120, name: 'explorer.exe', sessionId: 2, ...user('bob', 1105), ...usage(96, 51, 2210, 66, 0.01) },
    { pid: 6020, name: 'EXCEL.EXE', sessionId: 2, ...user('bob', 1105), ...usage(412, 380, 1530, 41, 0.6) },
    { pid: 7424, name: 'notepad.exe', sessionId: 3, ...user('carol', 1106), ...usage(14, 4, 180, 7, 0) },
  ];
}
