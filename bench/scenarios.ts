// The sessions the benchmark lists: RDP users with clients (the case with the most WTS calls per session).
import { SERVER_NOW, baseScenario, type Scenario, type ScenarioSession } from '../test/contract/scenario.js';

export function rdpSessions(count: number): ScenarioSession[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 2,
    stationName: `RDP-Tcp#${i + 2}`,
    state: 'active' as const,
    userName: `user${i}`,
    domain: 'CONTOSO',
    clientName: `PC-${i}`,
    clientAddress: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    protocol: 'rdp' as const,
    logonTime: SERVER_NOW - 3_600_000,
    connectTime: SERVER_NOW - 3_600_000,
    disconnectTime: null,
    lastInputTime: SERVER_NOW - i * 1000,
    locked: null,
  }));
}

/** A local machine with `count` RDP sessions, and a remote host `remote.bench` with `remoteCount`. */
export function benchScenario(count: number, remoteCount = 0): Scenario {
  const scenario = baseScenario();
  scenario.sessions = rdpSessions(count);
  scenario.servers = remoteCount ? { 'remote.bench': rdpSessions(remoteCount) } : {};
  return scenario;
}

/** `query user` as it prints, for the spawn-per-listing alternative. */
export function queryUserText(sessions: ScenarioSession[]): string {
  const lines = [' USERNAME              SESSIONNAME        ID  STATE   IDLE TIME  LOGON TIME'];
  for (const s of sessions) {
    lines.push(
      ` ${s.userName!.padEnd(21)} ${s.stationName.padEnd(18)} ${String(s.id).padStart(2)}  Active  ${String(Math.floor((SERVER_NOW - s.lastInputTime!) / 60_000)).padStart(9)}  1/2/2031 9:30 AM`,
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
