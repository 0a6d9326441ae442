// Writes a contract Scenario in the line format the stand-in wtsapi32.dll reads (see standin/wtsapi32.c), and
// reads back what it recorded.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';
import { eventMask } from '../../../lib/event-flags.js';
import { msToFileTime } from '../../../lib/filetime.js';
import { answerCode, decodeMessageStyle } from '../../../lib/message-codes.js';
import { SESSION_STATES } from '../../../lib/types.js';
import type { Scenario, ScenarioCall, ScenarioSession } from '../../contract/scenario.js';

const PROTOCOL_NUMBERS = { console: 0, ica: 1, rdp: 2 } as const;

/** UTF-16LE hex, "-" for empty/none: the stand-in's string encoding. */
export function hex16(text: string | null): string {
  return text ? Buffer.from(text, 'utf16le').toString('hex') : '-';
}

function fileTime(ms: number | null): string {
  return ms === null ? '0' : msToFileTime(ms).toString();
}

/** WTSCLIENTW.ClientAddress as Windows fills it: IPv4 as UTF-16 text, IPv6 as its 16 bytes. */
function clientAddress(text: string | null): { family: number; hex: string } {
  const raw = Buffer.alloc(62);
  if (text === null) return { family: 0, hex: '-' };
  if (isIPv4(text)) {
    raw.write(text, 'utf16le');
    return { family: 2, hex: raw.toString('hex') };
  }
  if (isIPv6(text)) {
    // Expand "::" and write the eight groups big-endian.
    const [head, tail = ''] = text.split('::');
    const left = head ? head.split(':') : [];
    const right = tail ? tail.split(':') : [];
    const groups = text.includes('::')
      ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
      : left;
    groups.forEach((g, i) => raw.writeUInt16BE(parseInt(g, 16), i * 2));
    return { family: 23, hex: raw.toString('hex') };
  }
  throw new RangeError(`scenario client address is neither IPv4 nor IPv6: ${text}`);
}

function sessionLine(s: ScenarioSession, server: string | null, now: number): string {
  const address = clientAddress(s.clientAddress);
  return [
    'S',
    hex16(server),
    s.id,
    SESSION_STATES.indexOf(s.state),
    s.protocol === null ? -1 : PROTOCOL_NUMBERS[s.protocol],
    hex16(s.stationName),
    hex16(s.userName),
    hex16(s.domain),
    hex16(s.clientName),
    address.family,
    address.hex,
    fileTime(s.connectTime),
    fileTime(s.disconnectTime),
    fileTime(s.lastInputTime),
    fileTime(s.logonTime),
    fileTime(now),
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
}

export interface StandinExtras {
  rules?: StandinRule[];
  latency?: Record<string, number>;
  /** Write stats.txt after every call (default true; off for soaks). */
  statsEveryCall?: boolean;
}

/** The stand-in functions that each public operation's scripted failure lands on. */
function rulesFor(scenario: Scenario): StandinRule[] {
  return scenario.failures.map((f): StandinRule => {
    const base = { errno: f.errno, server: f.server ?? null, times: f.times ?? 1 };
    switch (f.op) {
      case 'listSessions':
        return f.sessionId === undefined
          ? { ...base, fn: 'WTSEnumerateSessionsW' }
          : { ...base, fn: 'WTSQuerySessionInformationW', sessionId: f.sessionId };
      case 'getSession':
        return { ...base, fn: 'WTSQuerySessionInformationW', sessionId: f.sessionId };
      case 'logoff':
        return { ...base, fn: 'WTSLogoffSession', sessionId: f.sessionId };
      case 'disconnect':
        return { ...base, fn: 'WTSDisconnectSession', sessionId: f.sessionId };
      case 'sendMessage':
        return { ...base, fn: 'WTSSendMessageW', sessionId: f.sessionId };
      case 'listProcesses':
        return { ...base, fn: 'WTSEnumerateProcessesW' };
      case 'watchEvents':
        return { ...base, fn: 'WTSWaitSystemEvent' };
      default:
        throw new RangeError(`the stand-in cannot script ${f.op}: it is not a wtsapi32 call`);
    }
  });
}

function ruleLine(r: StandinRule): string {
  const server = r.server === undefined ? '*' : r.server === null ? '-' : hex16(r.server.toLowerCase());
  return ['F', r.fn, r.errno, r.sessionId ?? -1, server, r.nth ?? 0, r.times ?? 1].join(' ');
}

/** Writes scenario.txt atomically (the stand-in re-reads it when it changes). */
export function writeStandinScenario(dir: string, scenario: Scenario, extras: StandinExtras = {}): void {
  const lines = [
    ...scenario.sessions.map((s) => sessionLine(s, null, scenario.now)),
    ...Object.entries(scenario.servers).flatMap(([name, list]) => list.map((s) => sessionLine(s, name, scenario.now))),
    ...[...rulesFor(scenario), ...(extras.rules ?? [])].map(ruleLine),
    ...scenario.answers.map((a) =>
      ['A', hex16(a.server ?? null), a.sessionId, answerCode(a.answer), a.delayMs ?? 0].join(' '),
    ),
    ...scenario.processes.map((p) =>
      ['P', hex16(p.server ?? null), p.pid, p.sessionId, hex16(p.name), p.userSid ?? '-'].join(' '),
    ),
    ...scenario.events.map((e) => ['E', hex16(e.server ?? null), e.delayMs, eventMask(e.types)].join(' ')),
    ...Object.entries(extras.latency ?? {}).map(([fn, ms]) => `L ${fn} ${ms}`),
    `O stats ${extras.statsEveryCall === false ? 0 : 1}`,
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
  byFunction: Record<string, number>;
}

export function readStandinStats(dir: string): StandinStats {
  const [first = '', ...rest] = readFileSync(join(dir, 'stats.txt'), 'utf8').trim().split('\n');
  const numbers = Object.fromEntries(
    first.match(/(\w+) (\d+)/g)!.map((pair) => {
      const [key, value] = pair.split(' ');
      return [key!, Number(value)];
    }),
  );
  const byFunction = Object.fromEntries(rest.map((line) => [line.split(' ')[0]!, Number(line.split(' ')[1])]));
  return { ...(numbers as Omit<StandinStats, 'byFunction'>), byFunction };
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
