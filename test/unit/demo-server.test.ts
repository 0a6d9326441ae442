import { describe, expect, it } from 'vitest';
import { createMockBackend } from '../../lib/mock/index.js';

// The built-in demo server, as README.md describes it ("services 0, alice at the console 1, bob over RDP 2, carol
// disconnected 3 and the RDP listener 65536") and `windows-sessions list --mock` shows it. Written out by hand:
// times are minutes before the mock's clock.
const NOW = Date.UTC(2031, 0, 1, 12, 0, 0);
const ago = (minutes: number | null) => (minutes === null ? null : new Date(NOW - minutes * 60_000));

const DEMO: [
  id: number,
  station: string,
  state: string,
  user: string | null,
  client: string | null,
  address: string | null,
  logon: number | null,
  connect: number | null,
  disconnect: number | null,
  lastInput: number | null,
][] = [
  [0, 'Services', 'disconnected', null, null, null, null, null, null, null],
  [1, 'Console', 'active', 'alice', null, null, 180, 180, null, 1],
  [2, 'RDP-Tcp#2', 'active', 'bob', 'BOB-LAPTOP', '192.0.2.15', 50, 50, null, 20],
  [3, '', 'disconnected', 'carol', null, null, 26 * 60, 5 * 60, 120, 125],
  [65536, 'RDP-Tcp', 'listen', null, null, null, null, null, null, null],
];

describe('the demo server of createMockBackend() without sessions', () => {
  it('lists the five documented sessions, with times relative to its clock', async () => {
    const sessions = await createMockBackend({ now: () => NOW }).listSessions(null);
    expect(
      sessions.map((s) => [
        s.id,
        s.stationName,
        s.state,
        s.userName,
        s.clientName,
        s.clientAddress,
        s.logonTime,
        s.connectTime,
        s.disconnectTime,
        s.lastInputTime,
      ]),
    ).toEqual(
      DEMO.map(([id, station, state, user, client, address, ...times]) => [
        id,
        station,
        state,
        user,
        client,
        address,
        ...times.map(ago),
      ]),
    );
    expect(sessions.map((s) => s.domain)).toEqual([null, 'CONTOSO', 'CONTOSO', 'CONTOSO', null]);
    expect(sessions.filter((s) => s.isCurrent).map((s) => s.id)).toEqual([1]);
  });

  it('runs a few processes per session, owned as on a real machine, listed by session then pid', async () => {
    const processes = await createMockBackend().listProcesses(null);
    const sid = (rid: number) => `S-1-5-21-1004336348-1177238915-682003330-${rid}`;
    expect(processes.map((p) => [p.pid, p.name, p.sessionId, p.domain, p.userName, p.userSid])).toEqual([
      [4, 'System', 0, 'NT AUTHORITY', 'SYSTEM', 'S-1-5-18'],
      [688, 'services.exe', 0, 'NT AUTHORITY', 'SYSTEM', 'S-1-5-18'],
      [612, 'csrss.exe', 1, 'NT AUTHORITY', 'SYSTEM', 'S-1-5-18'],
      [4312, 'explorer.exe', 1, 'CONTOSO', 'alice', sid(1104)],
      [5120, 'explorer.exe', 2, 'CONTOSO', 'bob', sid(1105)],
      [6020, 'EXCEL.EXE', 2, 'CONTOSO', 'bob', sid(1105)],
      [7424, 'notepad.exe', 3, 'CONTOSO', 'carol', sid(1106)],
    ]);
  });

  it('has no processes of its own when given sessions', async () => {
    expect(await createMockBackend({ sessions: [{ id: 2, userName: 'bob' }] }).listProcesses(null)).toEqual([]);
  });
});
