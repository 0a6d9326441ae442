// Writes a contract Scenario in the line format the stand-in wtsapi32.dll reads (see standin/wtsapi32.c), and
// reads back what it recorded.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { Scenario, ScenarioCall, ScenarioSession } from '../../contract/scenario.js';
import {
  decodeMessageStyle,
  eventMask,
  ID_ANSWERS,
  msToFileTime,
  WTS_CONNECTSTATE,
  WTS_INFO_CLASS,
  WTS_PROTOCOL,
  WTS_SESSIONSTATE,
} from '../../helpers/win32-tables.js';

/** UTF-16LE hex, "-" for empty/none: the stand-in's string encoding. */
export function hex16(text: string | null): string {
  return text ? Buffer.from(text, 'utf16le').toString('hex') : '-';
}

function fileTime(ms: number | null): string {
  return ms === null ? '0' : msToFileTime(ms).toString();
}

/**
 * How the stand-in lays out one session's client address (docs/windows-behaviour.md, "Client address"):
 * - `clientInfo`: WTSCLIENTW.ClientAddress of an IPv4 client, one octet per USHORT (what osquery, gowin32 and
 *   winsession read on real machines; the default), UTF-16 text (Microsoft's WTSCLIENTW page), or neither.
 * - `clientAddress`: WTS_CLIENT_ADDRESS with the address from Address[2] (the corrected page; the default), or an
 *   empty one (family 0).
 */
export interface AddressForm {
  clientInfo?: 'octets' | 'text' | 'unreadable';
  clientAddress?: 'offset2' | 'empty';
}

const AF_INET = 2;
const AF_INET6 = 23;

function ipv6Bytes(text: string): Buffer {
  // Expand "::" and write the eight groups big-endian.
  const [head, tail = ''] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = text.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  const bytes = Buffer.alloc(16);
  groups.forEach((g, i) => bytes.writeUInt16BE(parseInt(g, 16), i * 2));
  return bytes;
}

/** WTSCLIENTW.ClientAddress (31 USHORTs) and WTS_CLIENT_ADDRESS (DWORD family, 20 bytes), as hex. */
function clientAddress(text: string | null, form: AddressForm = {}): { family: number; hex: string; wts: string } {
  const info = Buffer.alloc(62);
  const wts = Buffer.alloc(24);
  if (text === null) return { family: 0, hex: '-', wts: '-' };
  let family: number;
  let bytes: Buffer;
  if (isIPv4(text)) {
    family = AF_INET;
    bytes = Buffer.from(text.split('.').map(Number));
    const shape = form.clientInfo ?? 'octets';
    if (shape === 'text') info.write(text, 'utf16le');
    else if (shape === 'octets') bytes.forEach((octet, i) => info.writeUInt16LE(octet, i * 2));
    else info.writeUInt16LE(0x100, 0); // neither form: not a digit, and too large for an octet
  } else if (isIPv6(text)) {
    family = AF_INET6;
    bytes = ipv6Bytes(text);
    bytes.copy(info); // the page's "binary" form; the addon does not rely on it
  } else {
    throw new RangeError(`scenario client address is neither IPv4 nor IPv6: ${text}`);
  }
  if ((form.clientAddress ?? 'offset2') === 'offset2') {
    wts.writeUInt32LE(family, 0);
    bytes.copy(wts, 4 + 2);
  }
  return { family, hex: info.toString('hex'), wts: wts.toString('hex') };
}

/** FILETIMEs to write as they are, in place of a session's times (for values no whole ms maps to). */
export type RawFileTimes = Partial<Record<'connect' | 'disconnect' | 'lastInput' | 'logon', bigint>>;

function sessionLine(
  s: ScenarioSession,
  server: string | null,
  now: number,
  form?: AddressForm,
  raw: RawFileTimes = {},
): string {
  const address = clientAddress(s.clientAddress, form);
  return [
    'S',
    hex16(server),
    s.id,
    WTS_CONNECTSTATE[s.state],
    s.protocol === null ? -1 : WTS_PROTOCOL[s.protocol],
    hex16(s.stationName),
    hex16(s.userName),
    hex16(s.domain),
    hex16(s.clientName),
    address.family,
    address.hex,
    raw.connect ?? fileTime(s.connectTime),
    raw.disconnect ?? fileTime(s.disconnectTime),
    raw.lastInput ?? fileTime(s.lastInputTime),
    raw.logon ?? fileTime(s.logonTime),
    fileTime(now),
    address.wts,
    // SessionFlags as Windows 8 and later give them; unknown when the scenario does not say.
    s.locked === null ? WTS_SESSIONSTATE.UNKNOWN : s.locked ? WTS_SESSIONSTATE.LOCK : WTS_SESSIONSTATE.UNLOCK,
  ].join(' ');
}

/** A failure rule for the stand-in: fail `fn` with `errno`. */
export interface StandinRule {
  fn: string;
  errno: number;
  sessionId?: number;
  /** undefined: any server; null: the local machine. */
  server?: string | null;
  /** Only the n-th matching call (1-based); default: every matching call. */
  nth?: number;
  /** How many times; default 1 (-1: always). */
  times?: number;
  /** WTSQuerySessionInformationW only: only queries of this class. */
  infoClass?: number;
}

export interface StandinExtras {
  rules?: StandinRule[];
  latency?: Record<string, number>;
  /**
   * Calls to this remote host sleep this long (a host stuck in RPC time-outs): its session queries, or the
   * functions named (WTSEnumerateProcessesW; WTSWaitSystemEvent, for its flushes).
   */
  slowServer?: { server: string; ms: number; functions?: string[] };
  /** Write stats.txt after every call (default true; off for soaks). */
  statsEveryCall?: boolean;
  /** Client address layouts by session id (local machine); see {@link AddressForm}. */
  addressForms?: Record<number, AddressForm>;
  /** Raw FILETIMEs by session id (local machine), written in place of the scenario's times. */
  fileTimes?: Record<number, RawFileTimes>;
  /** A wait registers this long after it is called, so that a flush can be lost in between (as on Windows). */
  waitDelayMs?: number;
  /** WTSEnumerateSessionsW reports this many sessions, whatever it holds (a corrupt answer). */
  enumCount?: number;
  /** The addon cannot create threads (the stand-in repoints its import of _beginthreadex), from the next WTS call. */
  failThreads?: boolean;
  /** The addon's CheckTokenMembership answers "not a member" (not an elevated administrator), from the next WTS call. */
  notAdministrator?: boolean;
  /**
   * One allocation of the addon fails (operator new throws std::bad_alloc): allocation number `skip` (0: the first)
   * of the thread armed by `trigger`, a WTS function (the first thread to call it, counting from that call) or an
   * allocation of exactly `size` bytes (the first thread to make one; that allocation is number 0).
   */
  failAlloc?: { trigger: string | { size: number }; skip: number };
  /**
   * Accounts the addon's LookupAccountSidW resolves (the stand-in repoints its import while any are scripted; other
   * SIDs go to Wine's): names of any length, a look-up taking `delayMs`. With `errno`, LookupAccountSidW of the SID and
   * LookupAccountNameW of the name fail with it. An account of `use` 3 (SidTypeDomain) is this machine's account
   * domain: LsaQueryInformationPolicy(PolicyAccountDomainInformation) answers it.
   */
  accounts?: { sid: string; name: string; domain: string; delayMs?: number; use?: number; errno?: number }[];
  /**
   * Sessions of this machine whose token WTSQueryUserToken gives (as to LocalSystem), with its user's SID and its
   * groups (SE_GROUP_* attributes); any other session's fails with ERROR_PRIVILEGE_NOT_HELD. Names come from `accounts` (`use`: 2 a
   * domain group, 4 a local one, 5 a well-known one).
   */
  tokens?: { sessionId: number; user: string; groups: { sid: string; attributes: number }[] }[];
  /**
   * The caller's clock (ms since 1970), in place of the scenario's `now`: the addon's GetSystemTimePreciseAsFileTime
   * answers it. With it, a host without `remoteClocks` keeps its own clock (`now`) as its CurrentTime, as Windows
   * Server 2003 did.
   */
  callerClock?: number;
  /**
   * What WTSUserName / WTSDomainName answer for a session (local machine) in place of its full names: a second form of
   * the name, as MS-TSTS WINSTATIONINFORMATIONEX_LEVEL2 keeps a long UserName beside the SAM-compatible one. WTSINFOW
   * still holds the scenario's names.
   */
  secondNames?: { sessionId: number; userName?: string; domain?: string }[];
  /**
   * A farm of synthesized hosts `<prefix>0`… (see the stand-in's X lines): `sessions` each, `rttMs` per call; hosts
   * `[from, to)` slow by or down after `ms`; sign-ins at chosen times (ms since 1970, the real clock).
   */
  farm?: {
    prefix: string;
    count: number;
    sessions: number;
    rttMs: number;
    slow?: [from: number, to: number, ms: number][];
    down?: [from: number, to: number, ms: number][];
    logons?: { host: number; at: number; user: string }[];
  };
  /** Raw WTSSendMessageW responses, for codes no MessageAnswer stands for (0). */
  responseCodes?: { sessionId: number; code: number; delayMs?: number }[];
}

/** The stand-in functions that each public operation's scripted failure lands on. */
function rulesFor(scenario: Scenario): StandinRule[] {
  return scenario.failures.map((f): StandinRule => {
    const base = { errno: f.errno, server: f.server ?? null, times: f.times ?? 1 };
    switch (f.op) {
      case 'listSessions':
      case 'getSession':
        return f.sessionId === undefined && f.op === 'listSessions'
          ? { ...base, fn: 'WTSEnumerateSessionsW' }
          : {
              ...base,
              fn: 'WTSQuerySessionInformationW',
              sessionId: f.sessionId,
              infoClass: WTS_INFO_CLASS[f.infoClass ?? 'WTSSessionInfo'],
            };
      case 'listSessionSummaries':
        return { ...base, fn: 'WTSEnumerateSessionsExW' };
      case 'openServer':
        return { ...base, fn: 'WTSOpenServerW' };
      case 'logoff':
        return { ...base, fn: 'WTSLogoffSession', sessionId: f.sessionId };
      case 'disconnect':
        return { ...base, fn: 'WTSDisconnectSession', sessionId: f.sessionId };
      case 'sendMessage':
        return { ...base, fn: 'WTSSendMessageW', sessionId: f.sessionId };
      case 'listProcesses':
        return { ...base, fn: 'WTSEnumerateProcessesW' };
      case 'listProcessUsage':
        return { ...base, fn: 'WTSEnumerateProcessesExW' };
      case 'watchEvents':
        return { ...base, fn: 'WTSWaitSystemEvent' };
      case 'localGroups':
        return { ...base, fn: 'NetUserGetLocalGroups' };
      case 'domainGroups':
        return { ...base, fn: 'NetUserGetGroups' };
      default:
        throw new RangeError(`the stand-in cannot script ${f.op}: it is not a wtsapi32 call`);
    }
  });
}

/** A P line's WTS_PROCESS_INFO_EXW figures (none: the stand-in reports 0s). */
function usageFields(u: Scenario['processes'][number]['usage']): number[] {
  if (!u) return [];
  return [u.workingSetBytes, u.pagefileBytes, u.handles, u.threads, u.userTimeMs, u.kernelTimeMs, u.cpuMsPerRead];
}

function ruleLine(r: StandinRule): string {
  const server = r.server === undefined ? '*' : r.server === null ? '-' : hex16(r.server.toLowerCase());
  return ['F', r.fn, r.errno, r.sessionId ?? -1, server, r.nth ?? 0, r.times ?? 1, r.infoClass ?? -1].join(' ');
}

function failAllocLine({ trigger, skip }: NonNullable<StandinExtras['failAlloc']>): string {
  return `O failAlloc ${typeof trigger === 'string' ? trigger : `size:${trigger.size}`} ${skip}`;
}

/**
 * G lines (standin_groups.h): local groups as reached through a domain group (kind I, which NetUserGetLocalGroups
 * gives only with LG_INCLUDE_INDIRECT), domain groups as kind D; an empty list is one line without a group.
 */
function groupLines(scenario: Scenario): string[] {
  return (scenario.groups ?? []).flatMap((g) =>
    (
      [
        ['I', g.local],
        ['D', g.domain],
      ] as const
    ).flatMap(([kind, list]) =>
      list === undefined
        ? []
        : (list.length ? list : [null]).map((group) =>
            ['G', hex16(g.server ?? null), hex16(g.user), kind, hex16(group)].join(' '),
          ),
    ),
  );
}

function farmLines(farm: StandinExtras['farm']): string[] {
  if (!farm) return [];
  return [
    `X ${hex16(farm.prefix)} ${farm.count} ${farm.sessions} ${farm.rttMs}`,
    ...(farm.slow ?? []).map(([from, to, ms]) => `XS ${from} ${to} ${ms}`),
    ...(farm.down ?? []).map(([from, to, ms]) => `XD ${from} ${to} ${ms}`),
    ...(farm.logons ?? []).map((l) => `XL ${l.host} ${fileTime(l.at)} ${hex16(l.user)}`),
  ];
}

/** Writes scenario.txt atomically (the stand-in re-reads it when it changes). */
export function writeStandinScenario(dir: string, scenario: Scenario, extras: StandinExtras = {}): void {
  const lines = [
    ...scenario.sessions.map((s) =>
      sessionLine(s, null, scenario.now, extras.addressForms?.[s.id], extras.fileTimes?.[s.id]),
    ),
    ...Object.entries(scenario.servers).flatMap(([name, list]) => list.map((s) => sessionLine(s, name, scenario.now))),
    // Hung sessions: a sign-out or disconnect is accepted and they stay.
    ...[
      ...scenario.sessions.map((s) => [null, s] as const),
      ...Object.entries(scenario.servers).flatMap(([name, list]) => list.map((s) => [name, s] as const)),
    ]
      .filter(([, s]) => s.hung === true)
      .map(([name, s]) => `H ${hex16(name)} ${s.id}`),
    ...(extras.secondNames ?? []).map((n) =>
      ['W', '-', n.sessionId, hex16(n.userName ?? null), hex16(n.domain ?? null)].join(' '),
    ),
    ...[...rulesFor(scenario), ...(extras.rules ?? [])].map(ruleLine),
    ...scenario.answers.map((a) =>
      ['A', hex16(a.server ?? null), a.sessionId, ID_ANSWERS[a.answer], a.delayMs ?? 0].join(' '),
    ),
    ...(extras.responseCodes ?? []).map((a) => ['A', '-', a.sessionId, a.code, a.delayMs ?? 0].join(' ')),
    ...scenario.processes.map((p) =>
      ['P', hex16(p.server ?? null), p.pid, p.sessionId, hex16(p.name), p.userSid ?? '-', ...usageFields(p.usage)].join(
        ' ',
      ),
    ),
    ...scenario.events.map((e) => ['E', hex16(e.server ?? null), e.delayMs, eventMask(e.types)].join(' ')),
    ...groupLines(scenario),
    ...(extras.accounts ?? []).map((a) =>
      ['N', a.sid, hex16(a.name), hex16(a.domain), a.delayMs ?? 0, a.use ?? 1, a.errno ?? 0].join(' '),
    ),
    ...(extras.tokens ?? []).map(
      (t) => `K ${t.sessionId} ${t.groups.map((g) => `${g.sid}:${g.attributes}`).join(',')} ${t.user}`,
    ),
    // The caller's clock is the scenario's `now`; a host with its own clock answers NetRemoteTOD with it and leaves
    // WTSINFOW.CurrentTime to the caller's, as Windows Server 2008 and later do (docs/windows-behaviour.md).
    `T ${fileTime(extras.callerClock ?? scenario.now)}`,
    ...Object.entries(scenario.remoteClocks ?? {}).map(([name, clock]) =>
      typeof clock === 'number'
        ? `C ${hex16(name.toLowerCase())} ${clock} 0`
        : `C ${hex16(name.toLowerCase())} 0 ${clock.errno}`,
    ),
    ...Object.entries(extras.latency ?? {}).map(([fn, ms]) => `L ${fn} ${ms}`),
    ...(extras.slowServer
      ? (extras.slowServer.functions ?? ['WTSQuerySessionInformationW']).map(
          (fn) => `L ${fn} ${extras.slowServer!.ms} ${hex16(extras.slowServer!.server.toLowerCase())}`,
        )
      : []),
    `O stats ${extras.statsEveryCall === false ? 0 : 1}`,
    ...(scenario.computerName === undefined ? [] : [`O computerName ${hex16(scenario.computerName)}`]),
    `O waitDelay ${extras.waitDelayMs ?? 0}`,
    `O enumCount ${extras.enumCount ?? 0}`,
    `O failThreads ${extras.failThreads ? 1 : 0}`,
    `O notAdministrator ${extras.notAdministrator ? 1 : 0}`,
    ...(extras.failAlloc ? [failAllocLine(extras.failAlloc)] : []),
    ...farmLines(extras.farm),
    // A unique line, so that two scenarios of the same size written within the clock's resolution still differ.
    `# ${process.hrtime.bigint()}`,
  ];
  const path = join(dir, 'scenario.txt');
  writeFileSync(`${path}.tmp`, `${lines.join('\n')}\n`);
  renameSync(`${path}.tmp`, path);
}

/** What the stand-in counted. */
export interface StandinStats {
  /** Buffers handed out and not yet given back through WTSFreeMemory. */
  allocs: number;
  total: number;
  badFrees: number;
  /** Server handles opened and not closed. */
  handles: number;
  badHandles: number;
  calls: number;
  /** WTSWaitSystemEvent calls blocked right now. */
  waits: number;
  /** The most WTSWaitSystemEvent calls blocked at once since the scenario was written. */
  waitsPeak: number;
  /** Waits refused (ERROR_BUSY) because their server handle already had one outstanding (MS-TSTS 3.7.4.1.15). */
  waitConflicts: number;
  /** LookupAccountSidW calls per scripted SID, and how many of them answered its names. */
  lookups: Record<string, { calls: number; answered: number }>;
  /** The most calls of a function inside their latency (`latency`) at once, since the scenario was written. */
  peaks: Record<string, number>;
  /** How many threads called each function since the scenario was written (up to 64). */
  threads: Record<string, number>;
  /** How many allocations the scenario's failAlloc made fail (0 or 1). */
  allocFailed: number;
  byFunction: Record<string, number>;
  /** WTSQuerySessionInformationW calls by WTS_INFO_CLASS number. */
  byClass: Record<number, number>;
}

export function readStandinStats(dir: string): StandinStats {
  const [first = '', ...rest] = readFileSync(join(dir, 'stats.txt'), 'utf8').trim().split('\n');
  const numbers = Object.fromEntries(
    first.match(/(\w+) (\d+)/g)!.map((pair) => {
      const [key, value] = pair.split(' ');
      return [key!, Number(value)];
    }),
  );
  const byFunction = Object.fromEntries(
    rest
      .filter((line) => !/^(class|peak|threads|allocFailed|lookup) /.test(line))
      .map((line) => [line.split(' ')[0]!, Number(line.split(' ')[1])]),
  );
  const peaks = Object.fromEntries(
    rest.filter((line) => line.startsWith('peak ')).map((line) => [line.split(' ')[1]!, Number(line.split(' ')[2])]),
  );
  const threads = Object.fromEntries(
    rest.filter((line) => line.startsWith('threads ')).map((line) => [line.split(' ')[1]!, Number(line.split(' ')[2])]),
  );
  const byClass = Object.fromEntries(
    rest
      .filter((line) => line.startsWith('class '))
      .map((line) => [Number(line.split(' ')[1]), Number(line.split(' ')[2])]),
  );
  const allocFailed = Number(rest.find((line) => line.startsWith('allocFailed '))?.split(' ')[1] ?? 0);
  const lookups = Object.fromEntries(
    rest
      .filter((line) => line.startsWith('lookup '))
      .map((line) => {
        const [, sid, calls, answered] = line.split(' ');
        return [sid!, { calls: Number(calls), answered: Number(answered) }];
      }),
  );
  return {
    ...(numbers as Omit<StandinStats, 'byFunction' | 'byClass' | 'peaks' | 'threads' | 'allocFailed' | 'lookups'>),
    allocFailed,
    lookups,
    byFunction,
    byClass,
    peaks,
    threads,
  };
}

const text16 = (hex: string) => (hex === '-' ? '' : Buffer.from(hex, 'hex').toString('utf16le'));

/** The acting calls the stand-in logged, as contract calls. */
export function readStandinCalls(dir: string): ScenarioCall[] {
  let text = '';
  try {
    text = readFileSync(join(dir, 'calls.log'), 'utf8');
  } catch {
    return [];
  }
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line): ScenarioCall => {
      const [fn, serverHex, session, wait, ...rest] = line.split(' ');
      const base = {
        server: serverHex === '-' ? null : text16(serverHex!),
        sessionId: Number(session),
        wait: wait === '1',
      };
      switch (fn) {
        case 'WTSLogoffSession':
          return { op: 'logoff', ...base };
        case 'WTSDisconnectSession':
          return { op: 'disconnect', ...base };
        case 'WTSSendMessageW': {
          const [title, message, style, timeout] = rest;
          return {
            op: 'sendMessage',
            ...base,
            title: text16(title!),
            message: text16(message!),
            ...decodeMessageStyle(Number(style)),
            timeoutSeconds: Number(timeout),
          };
        }
        default:
          throw new Error(`unexpected call in the stand-in log: ${line}`);
      }
    });
}
