import type { MockGroupSeed, MockOperation, MockProcessUsage, MockSession } from '../../lib/mock/index.js';
import type {
  SessionInfoClass,
  MessageAnswer,
  MessageButtons,
  MessageIcon,
  ProcessInfo,
  Session,
  SessionEventType,
} from '../../lib/types.js';

/**
 * One session of a scenario, every field given (times in ms since 1970, null for none): exactly what the mock
 * stores, and what the stand-in DLL is written from.
 */
export type ScenarioSession = MockSession;

/** A failure to script, in the terms of the public operations (each backend maps it to its own calls). */
export interface ScenarioFailure {
  op: MockOperation;
  errno: number;
  sessionId?: number;
  server?: string;
  times?: number;
  /** For a session's listing or getSession: which detail query fails (default WTSSessionInfo). */
  infoClass?: SessionInfoClass;
}

/**
 * What a machine looks like for one contract case. The mock is seeded from it, and the scripted wtsapi32.dll that
 * stands in for Windows under Wine reads the same data: both must then give the same answers.
 */
export interface Scenario {
  /**
   * The caller's clock, and the servers' unless `remoteClocks` says otherwise (deliberately not the test machine's:
   * idle time must come from the server).
   */
  now: number;
  /**
   * Remote hosts whose clock is not `now`: ms ahead of it (their sessions' times are on their own clock, and
   * WTSINFOW.CurrentTime is the caller's `now`, as Windows Server 2008 and later answer a remote caller), or the
   * error NetRemoteTOD fails with for that host.
   */
  remoteClocks?: Record<string, number | { errno: number }>;
  currentSessionId: number;
  sessions: ScenarioSession[];
  servers: Record<string, ScenarioSession[]>;
  failures: ScenarioFailure[];
  /** The users' answers to message boxes, in order per session. Unanswered boxes that wait get 'timeout'. */
  answers: { sessionId: number; answer: MessageAnswer; delayMs?: number; server?: string }[];
  /**
   * Processes, each with the account Windows resolves its SID to (null: unresolvable), and what
   * WTSEnumerateProcessesExW reports of it (default all 0); each usage read adds `cpuMsPerRead` to its user time.
   */
  processes: (Omit<ProcessInfo, 'usage'> & { server?: string; usage?: ScenarioProcessUsage })[];
  /** Group memberships (NetUserGetLocalGroups, NetUserGetGroups); none: every account unknown. */
  groups?: MockGroupSeed[];
  /** This machine's NetBIOS name (NetWkstaGetInfo), the domain of its local accounts; default not scripted. */
  computerName?: string;
  /** Session events; each happens `delayMs` into the wait that receives it. */
  events: { types: SessionEventType[]; delayMs: number; server?: string }[];
}

/** A process's usage in a scenario: what both backends can script (the stand-in has no clock-driven load). */
export type ScenarioProcessUsage = Required<Omit<MockProcessUsage, 'cpuLoad'>>;

/** One recorded acting call (logoff, disconnect, message), as both backends report it. */
export interface ScenarioCall {
  op: MockOperation;
  server: string | null;
  sessionId?: number;
  wait?: boolean;
  title?: string;
  message?: string;
  buttons?: MessageButtons;
  icon?: MessageIcon;
  timeoutSeconds?: number;
}

/** What the contract suite needs from a backend under test. */
export interface ContractFixture {
  /** Gives the backend this scenario; resolves once it is in force. */
  load(scenario: Scenario): Promise<import('../../lib/client.js').SessionsClient>;
  /** The calls that acted on sessions (logoff), in order, since the last load. */
  actions(): Promise<ScenarioCall[]>;
  /** Backend-specific checks after each case (the native one checks that nothing leaked). */
  verify?(): Promise<void>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** 2031-05-04T10:00:00Z: far from the test machine's clock, so a test that used it would fail. */
export const SERVER_NOW = Date.UTC(2031, 4, 4, 10, 0, 0);

function usage(
  workingSetBytes: number,
  pagefileBytes: number,
  handles: number,
  threads: number,
  userTimeMs: number,
  kernelTimeMs: number,
  cpuMsPerRead: number,
): ScenarioProcessUsage {
  return { workingSetBytes, pagefileBytes, handles, threads, userTimeMs, kernelTimeMs, cpuMsPerRead };
}

function session(partial: Partial<ScenarioSession> & { id: number }): ScenarioSession {
  return {
    stationName: '',
    state: 'active',
    userName: null,
    domain: null,
    clientName: null,
    clientAddress: null,
    protocol: null,
    logonTime: null,
    connectTime: null,
    disconnectTime: null,
    lastInputTime: null,
    locked: null,
    ...partial,
  };
}

/** A server with the sessions real machines have, and the hard cases: accents, non-BMP names, IPv6, no station. */
export function baseScenario(): Scenario {
  return {
    now: SERVER_NOW,
    currentSessionId: 1,
    sessions: [
      session({ id: 0, stationName: 'Services', state: 'disconnected', protocol: 'console' }),
      session({
        id: 1,
        stationName: 'Console',
        userName: 'Zoë Ångström',
        domain: 'CONTOSO',
        protocol: 'console',
        logonTime: SERVER_NOW - 3 * HOUR,
        connectTime: SERVER_NOW - 3 * HOUR,
        lastInputTime: SERVER_NOW - 30_000,
      }),
      session({
        id: 2,
        stationName: 'RDP-Tcp#2',
        userName: 'bob',
        domain: 'CONTOSO',
        clientName: 'BOB-LAPTOP',
        clientAddress: '192.0.2.15',
        protocol: 'rdp',
        logonTime: SERVER_NOW - 50 * MINUTE,
        connectTime: SERVER_NOW - 40 * MINUTE,
        lastInputTime: SERVER_NOW - 20 * MINUTE,
      }),
      session({
        id: 3,
        stationName: '',
        state: 'disconnected',
        userName: '𝒸𝒶𝓇𝑜𝓁😀',
        domain: 'ＷＯＲＫ',
        protocol: 'rdp',
        logonTime: SERVER_NOW - 26 * HOUR,
        connectTime: SERVER_NOW - 5 * HOUR,
        disconnectTime: SERVER_NOW - 2 * HOUR,
        lastInputTime: SERVER_NOW - 2 * HOUR - 5 * MINUTE,
      }),
      session({
        id: 4,
        stationName: 'RDP-Tcp#7',
        userName: 'dave',
        domain: 'CONTOSO',
        clientName: 'DAVE-PC',
        clientAddress: '2001:db8::7',
        protocol: 'rdp',
        logonTime: SERVER_NOW - HOUR,
        connectTime: SERVER_NOW - HOUR,
        lastInputTime: SERVER_NOW - 5 * HOUR, // input stamped before logon: idle is still server now - last input
      }),
      session({ id: 65536, stationName: 'RDP-Tcp', state: 'listen', protocol: 'rdp' }),
    ],
    servers: {
      'ts01.contoso.test': [
        session({ id: 0, stationName: 'Services', state: 'disconnected', protocol: 'console' }),
        session({
          id: 1,
          stationName: 'Console',
          userName: 'alice',
          domain: 'CONTOSO',
          protocol: 'console',
          logonTime: SERVER_NOW - HOUR,
          connectTime: SERVER_NOW - HOUR,
          lastInputTime: SERVER_NOW - MINUTE,
        }),
      ],
    },
    failures: [],
    answers: [],
    processes: [
      // The idle process's CPU time is the processors' idle time (it "uses" what nothing else does).
      {
        pid: 0,
        name: 'System Idle Process',
        sessionId: 0,
        userName: null,
        domain: null,
        userSid: null,
        usage: usage(8_192, 0, 0, 2, 0, 9_000_000, 900),
      },
      {
        pid: 4,
        name: 'System',
        sessionId: 0,
        userName: 'SYSTEM',
        domain: 'NT AUTHORITY',
        userSid: 'S-1-5-18',
        usage: usage(143_360, 49_152, 3_200, 180, 0, 5_400_000, 10),
      },
      {
        pid: 612,
        name: 'csrss.exe',
        sessionId: 1,
        userName: 'SYSTEM',
        domain: 'NT AUTHORITY',
        userSid: 'S-1-5-18',
        usage: usage(5_242_880, 2_097_152, 610, 12, 1_500, 2_500, 5),
      },
      // A deleted account: its SID no longer resolves.
      {
        pid: 5120,
        name: 'explorer.exe',
        sessionId: 2,
        userName: null,
        domain: null,
        userSid: 'S-1-5-21-1004336348-1177238915-682003330-1001',
        // 4 GiB - 1: the most a DWORD holds.
        usage: usage(4_294_967_295, 98_566_144, 2_400, 64, 86_400_000, 3_600_000, 250),
      },
      {
        pid: 7424,
        name: 'notepad++.exe',
        sessionId: 3,
        userName: null,
        domain: null,
        userSid: 'S-1-5-21-1004336348-1177238915-682003330-1002',
        usage: usage(14_680_064, 4_194_304, 180, 7, 42, 17, 0),
      },
      {
        pid: 900,
        name: 'svchost.exe',
        sessionId: 0,
        userName: 'SYSTEM',
        domain: 'NT AUTHORITY',
        userSid: 'S-1-5-18',
        server: 'ts01.contoso.test',
        usage: usage(20_971_520, 8_388_608, 400, 9, 1_000, 1_000, 100),
      },
    ],
    events: [],
  };
}

/** The Session a scenario session must come back as; written out independently of both backends. */
export function expectedSession(
  s: ScenarioSession,
  scenario: Scenario,
  server: string | null = null,
  lockState = false,
  callerClock = false,
): Session {
  const date = (ms: number | null) => (ms === null ? null : new Date(ms));
  const since = s.state === 'disconnected' ? (s.disconnectTime ?? s.lastInputTime) : s.lastInputTime;
  // A remote host's own clock: `now` plus its skew; unreadable, unknown unless the caller takes its own.
  const remote = server === null ? undefined : scenario.remoteClocks?.[server];
  const readable = remote === undefined || typeof remote === 'number';
  const serverNow = readable ? scenario.now + (remote ?? 0) : callerClock ? scenario.now : null;
  return {
    id: s.id,
    stationName: s.stationName,
    state: s.state,
    userName: s.userName,
    domain: s.userName === null ? null : s.domain,
    clientName: s.clientName,
    clientAddress: s.clientAddress,
    protocol: s.protocol,
    logonTime: date(s.logonTime),
    connectTime: date(s.connectTime),
    disconnectTime: date(s.disconnectTime),
    lastInputTime: date(s.lastInputTime),
    idleMs: since === null || serverNow === null ? null : Math.max(0, serverNow - since),
    serverTime: date(serverNow),
    clock: serverNow === null ? null : readable ? 'server' : 'caller',
    // Read when asked, on this machine, for an active session with a user; null otherwise.
    locked: lockState && server === null && s.state === 'active' && s.userName !== null ? s.locked : null,
    isCurrent: server === null && s.id === scenario.currentSessionId,
    partial: null,
  };
}
