import { formatDuration } from '../../duration.js';
import { processorCount, sampleProcesses, usageBetween } from '../../ops/usage.js';
import type { ProcessInfo, Session, SessionUsage } from '../../types.js';
import type { Command, CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { atMostPositionals, UsageError } from '../parse-args.js';
import { Screen, type TerminalOut } from '../screen.js';
import { eventTime, table } from '../table.js';
import { formatBytes, formatCpu, intervalFlag, PROCESSORS_FLAG, processorsFlag } from '../usage-columns.js';

/** What a row is sorted by, most first (idle: longest first); the key that picks it on the terminal. */
const SORTS = {
  cpu: { key: 'c', by: (a: Row, b: Row) => (b.usage?.cpuMs ?? 0) - (a.usage?.cpuMs ?? 0) },
  memory: { key: 'm', by: (a: Row, b: Row) => (b.usage?.workingSetBytes ?? 0) - (a.usage?.workingSetBytes ?? 0) },
  idle: { key: 'i', by: (a: Row, b: Row) => (b.session.idleMs ?? -1) - (a.session.idleMs ?? -1) },
} as const;
type SortName = keyof typeof SORTS;

/** A session on the screen: signed in, or holding processes (services); what its processes used since the last look. */
interface Row {
  session: Session;
  usage: SessionUsage | undefined;
}

/** One refresh: the rows and what the header says. */
interface Frame {
  time: Date;
  rows: Row[];
  processes: number;
  processors: number | null;
}

const HEADER = ['ID', 'USERNAME', 'STATE', 'IDLE', 'CPU', 'MEMORY', 'PROCESSES'];
const cells = ({ session: s, usage: u }: Row) => [
  String(s.id),
  s.userName ?? (s.id === 0 ? '(services)' : '-'),
  s.state,
  formatDuration(s.idleMs),
  formatCpu(u),
  formatBytes(u?.workingSetBytes),
  String(u?.processCount ?? 0),
];

export const top: Command = {
  summary: 'a live view of the sessions with their CPU, memory and idle time, busiest first (like top)',
  usage: 'top [--every <duration>] [--sort cpu|memory|idle] [--count <n>] [--processors <n>] [--json]',
  flags: {
    every: { kind: 'string', help: "time between refreshes (default '2s'); CPU is measured over it" },
    sort: { kind: 'string', help: "'cpu' (default), 'memory' or 'idle'; keys c, m and i change it, q quits" },
    count: { kind: 'string', help: 'stop after this many refreshes (default: until q or Ctrl+C)' },
    processors: PROCESSORS_FLAG,
  },
  async run(ctx) {
    const { args } = ctx;
    atMostPositionals(args, 0);
    const every = intervalFlag(args.flags.every, 2000);
    let sort = (args.flags.sort ?? 'cpu') as SortName;
    if (!(sort in SORTS)) throw new UsageError("--sort must be 'cpu', 'memory' or 'idle'");
    const countText = args.flags.count;
    if (countText !== undefined && (typeof countText !== 'string' || !/^[1-9]\d{0,8}$/.test(countText)))
      throw new UsageError('--count must be a whole number from 1');
    const count = countText === undefined ? Infinity : Number(countText);
    const given = processorsFlag(args.flags.processors).processors;
    const out = ctx.stdout;
    const live = out?.isTTY === true && !ctx.json;
    const stop = new AbortController();
    const quit = () => {
      stop.abort();
    };
    const sorting = {
      get: () => sort,
      set: (next: SortName) => {
        sort = next;
      },
    };
    const view = live ? terminalView(ctx, out, sorting, quit) : plainView(ctx);
    ctx.signal.addEventListener('abort', quit, { once: true });
    try {
      const processors = given ?? (await processorCount(ctx.client.backend, ctx.server));
      let before = await sample(ctx);
      for (let shown = 0; shown < count && !stop.signal.aborted; shown++) {
        // The first look comes sooner: CPU over a second is already telling.
        if (!(await pause(shown === 0 ? Math.min(every, 1000) : every, stop.signal))) break;
        const after = await sample(ctx);
        const usage = usageBetween(before.processes, after.processes, after.at - before.at, processors);
        before = after;
        const bySession = new Map(usage.sessions.map((u) => [u.sessionId, u]));
        const rows = after.sessions
          .filter((s) => s.state !== 'listen' && (s.userName !== null || bySession.has(s.id)))
          .map((session) => ({ session, usage: bySession.get(session.id) }));
        view.show({ time: new Date(), rows, processes: usage.processes.length, processors }, sort);
      }
      return EXIT.ok;
    } finally {
      ctx.signal.removeEventListener('abort', quit);
      view.close?.();
    }
  },
};

/** The sessions and every process with its usage, and when they were read. */
async function sample(ctx: CommandContext): Promise<{ at: number; sessions: Session[]; processes: ProcessInfo[] }> {
  const [sessions, usage] = await Promise.all([
    ctx.client.listSessions({ server: ctx.server }),
    sampleProcesses(ctx.client.backend, ctx.server),
  ]);
  return { ...usage, sessions };
}

/** Waits `ms`; false when `signal` aborted first. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (value: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const onAbort = () => {
      done(false);
    };
    const timer = setTimeout(() => {
      done(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

interface View {
  show(frame: Frame, sort: SortName): void;
  /** Gives the terminal back as it was. */
  close?(): void;
}

function sorted(frame: Frame, sort: SortName): Row[] {
  return [...frame.rows].sort((a, b) => SORTS[sort].by(a, b) || a.session.id - b.session.id);
}

/** The lines of one screen: what is shown and how, the totals, then the table. */
function screenLines(frame: Frame, sort: SortName, server: string | null, every: string): string[] {
  const sum = (f: (u: SessionUsage) => number) => frame.rows.reduce((t, r) => t + (r.usage ? f(r.usage) : 0), 0);
  const cpu = formatCpu({
    cpuMs: sum((u) => u.cpuMs),
    cpuCores: sum((u) => u.cpuCores),
    cpuPercent: frame.processors === null ? null : sum((u) => u.cpuPercent ?? 0),
  });
  const memory = formatBytes(sum((u) => u.workingSetBytes));
  return [
    `${server ?? 'this machine'}  ${frame.processors ?? '?'} processors  every ${every}  sort: ${sort}  (c cpu  m memory  i idle  q quit)`,
    `${eventTime(frame.time, false)}  ${frame.rows.length} sessions  ${frame.processes} processes  CPU ${cpu}  MEMORY ${memory}`,
    '',
    ...table(HEADER, sorted(frame, sort).map(cells)).split('\n'),
  ];
}

/** On a terminal: one screen, redrawn where it changed; keys sort and quit; a resize redraws it all. */
function terminalView(
  ctx: CommandContext,
  out: TerminalOut,
  sorting: { get: () => SortName; set: (sort: SortName) => void },
  quit: () => void,
): View {
  const screen = new Screen(out);
  const every = typeof ctx.args.flags.every === 'string' ? ctx.args.flags.every : '2s';
  let last: Frame | undefined;
  const redraw = () => {
    if (last) screen.draw(screenLines(last, sorting.get(), ctx.server, every));
  };
  const onResize = () => {
    screen.resize();
    redraw();
  };
  const stdin = ctx.stdin as NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  const raw = stdin.isTTY === true && typeof stdin.setRawMode === 'function';
  const onKey = (chunk: Buffer | string) => {
    for (const key of chunk.toString()) {
      if (key === 'q' || key === '\x03' || key === '\x04') quit();
      const picked = (Object.keys(SORTS) as SortName[]).find((name) => SORTS[name].key === key.toLowerCase());
      if (picked) {
        sorting.set(picked);
        redraw();
      }
    }
  };
  screen.open();
  out.on('resize', onResize);
  if (raw) stdin.setRawMode!(true);
  stdin.on('data', onKey);
  stdin.resume();
  return {
    show(frame) {
      last = frame;
      redraw();
    },
    close() {
      out.removeListener('resize', onResize);
      stdin.removeListener('data', onKey);
      if (raw) stdin.setRawMode!(false);
      stdin.pause();
      screen.close();
    },
  };
}

/**
 * Without a terminal: each refresh as plain lines, a table with its header after a blank line as `top -b` prints
 * its screens (so columns line up whatever the widths), or one JSON line with --json.
 */
function plainView(ctx: CommandContext): View {
  let first = true;
  return {
    show(frame, sort) {
      if (ctx.json) {
        const rows = sorted(frame, sort).map((r) => ({ ...r.session, usage: r.usage ?? null }));
        ctx.out(JSON.stringify({ time: frame.time, processors: frame.processors, sessions: rows }));
        return;
      }
      const time = eventTime(frame.time, false);
      const lines = table(
        ['TIME', ...HEADER],
        sorted(frame, sort).map((r) => [time, ...cells(r)]),
      );
      ctx.out(first ? lines : `\n${lines}`);
      first = false;
    },
  };
}
