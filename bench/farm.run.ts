// npm run bench, the farm (issue 26): 1,000 hosts by name in the stand-in (its X lines), 50 sessions each, 20 ms per
// call, 1% of them slow; listSessionsOn over all of them, then the running enforcer: its reaction from a scripted
// sign-in to its `decided` audit record, its CPU and memory while nothing happens, the same with 10% of the hosts
// down, and with hosts beyond the wait threads (polled). Adds a `farm` section to bench-results.json.
// BENCH_FARM_HOSTS (default 1000), BENCH_FARM_SESSIONS (50), BENCH_FARM_RTT_MS (20) and BENCH_FARM_IDLE_MS (10000)
// make it smaller for a quick run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, inject, it } from 'vitest';
import { readStandinStats, writeStandinScenario, type StandinExtras } from '../test/native/wine/standin-scenario.js';
import { WindowsNode } from '../test/native/wine/windows-node.js';
import { benchScenario } from './scenarios.js';

const HOSTS = Number(process.env.BENCH_FARM_HOSTS ?? 1000);
const SESSIONS = Number(process.env.BENCH_FARM_SESSIONS ?? 50);
const RTT = Number(process.env.BENCH_FARM_RTT_MS ?? 20);
const IDLE_MS = Number(process.env.BENCH_FARM_IDLE_MS ?? 10_000);
const LOGONS = Math.min(50, HOSTS);
// A down host answers each call after an RPC time-out of this long.
const DOWN_MS = 5_000;
// Hosts beyond the wait threads in the polled run, and the interval they are polled at (runPolicyEnforcer's default).
const POLLED = Math.min(20, HOSTS >> 1);
const POLL_EVERY_MS = 5_000;

const names = Array.from({ length: HOSTS }, (_, i) => `ts${i}`);
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]! : NaN;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Threads and resident memory of the Windows process, read from /proc (Wine runs it as one Linux process). */
function procFigures(pid: number | undefined): { threads: number; rssMB: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { threads: field('Threads'), rssMB: round(field('VmRSS') / 1024) };
  } catch {
    return { threads: NaN, rssMB: NaN };
  }
}

/** Samples the process every 100 ms while `work` runs: the most threads and memory seen. */
async function sampled<T>(
  pid: number | undefined,
  work: Promise<T>,
): Promise<T & { peakThreads: number; peakMB: number }> {
  let peakThreads = 0;
  let peakMB = 0;
  const sample = () => {
    const f = procFigures(pid);
    peakThreads = Math.max(peakThreads, f.threads);
    peakMB = Math.max(peakMB, f.rssMB);
  };
  const timer = setInterval(sample, 100);
  try {
    const result = await work;
    sample();
    return { ...result, peakThreads, peakMB };
  } finally {
    clearInterval(timer);
  }
}

type Farm = NonNullable<StandinExtras['farm']>;
const farmOf = (extra: Partial<Farm> = {}): Farm => ({
  prefix: 'ts',
  count: HOSTS,
  sessions: SESSIONS,
  rttMs: RTT,
  slow: [[HOSTS - Math.max(1, HOSTS / 100), HOSTS, 200]], // the last 1%: 200 ms more per call
  ...extra,
});

interface ListingRow {
  detail: 'full' | 'summary';
  concurrency: number;
  'time s': number;
  'peak threads': number;
  'peak MB': number;
  'calls per host': number;
}

interface Decided {
  host: string;
  time: number;
}

/**
 * Starts the enforcer over the farm, measures it idle, then scripts one sign-in on each of `targets` (100 ms apart,
 * from 2 s on) and times each host's `decided` record from it.
 */
async function enforcerRun(windows: WindowsNode, farm: Farm, pick: (polledHosts: string[]) => number[], up: number) {
  const request = <T>(kind: string, params: Record<string, unknown> = {}) =>
    windows.request<T>('bench', { kind, ...params });
  writeStandinScenario(windows.standinDir, benchScenario(0), { statsEveryCall: false, farm });
  const start = await sampled(
    windows.pid,
    request<{ startupMs: number; watched: number; polled: number; polledHosts: string[] }>('farmStart', {
      hosts: names,
      up,
    }),
  );
  const targets = pick(start.polledHosts);
  const idle = await request<{ cpuPercent: number; rssMB: number }>('farmIdle', { ms: IDLE_MS });
  const idleProc = procFigures(windows.pid);
  const t0 = Date.now() + 2000;
  const logons = targets.map((host, i) => ({ host, at: t0 + i * 100, user: `intruder${i}` }));
  writeStandinScenario(windows.standinDir, benchScenario(0), { statsEveryCall: false, farm: { ...farm, logons } });
  const decided = await request<Decided[]>('farmDecided', {
    logons: logons.map((l) => ({ host: `ts${l.host}`, at: l.at })),
    timeoutMs: 60_000 + targets.length * 100,
  });
  await request('farmStop');
  const reactions = logons.map((l) => {
    const d = decided.find((r) => r.host === `ts${l.host}` && r.time >= l.at - 50);
    return d ? d.time - l.at : Infinity;
  });
  const polled = new Set(start.polledHosts);
  const byMode = (mode: boolean) => reactions.filter((_, i) => polled.has(`ts${targets[i]!}`) === mode);
  return { start, idle, idleProc, reactions, watchedReactions: byMode(false), polledReactions: byMode(true), targets };
}

function reactionRow(label: string, reactions: number[]) {
  return {
    run: label,
    'sign-ins': reactions.length,
    'decided in time': reactions.filter(Number.isFinite).length,
    'reaction p50 ms': round(quantile(reactions, 0.5), 0),
    'reaction p99 ms': round(quantile(reactions, 0.99), 0),
    'reaction max ms': round(Math.max(...reactions), 0),
  };
}

it(`farm: ${HOSTS} hosts x ${SESSIONS} sessions at ${RTT} ms per call`, async () => {
  const wine = inject('wine')!;
  const windows = await WindowsNode.start(wine);
  const dir = windows.standinDir;
  const request = <T>(kind: string, params: Record<string, unknown> = {}) =>
    windows.request<T>('bench', { kind, ...params });
  let polledWindows: WindowsNode | undefined;
  try {
    // listSessionsOn: every host once, at the default concurrency (8 hosts) and at 32, in full and in summary (one
    // WTSEnumerateSessionsExW per host); calls counted by the stand-in.
    const listings: ListingRow[] = [];
    const listingRuns: [ListingRow['detail'], number][] = [
      ['full', 8],
      ['full', 32],
      ['summary', 8],
      ['summary', 32],
    ];
    for (const [detail, concurrency] of listingRuns) {
      writeStandinScenario(dir, benchScenario(0), { statsEveryCall: true, farm: farmOf() });
      await windows.backend().listSessions(null); // the stand-in writes its counters now
      const before = readStandinStats(dir).byFunction;
      writeStandinScenario(dir, benchScenario(0), { statsEveryCall: false, farm: farmOf() });
      const run = await sampled(
        windows.pid,
        request<{ ms: number; ok: number; sessions: number; rssMB: number }>('farmListing', {
          hosts: names,
          concurrency,
          detail,
        }),
      );
      writeStandinScenario(dir, benchScenario(0), { statsEveryCall: true, farm: farmOf() });
      await windows.backend().listSessions(null);
      const after = readStandinStats(dir).byFunction;
      const calls = ['WTSEnumerateSessionsW', 'WTSQuerySessionInformationW', 'WTSEnumerateSessionsExW'].reduce(
        (n, fn) => n + after[fn]! - before[fn]!,
        -2, // the two local listings around it: one enumeration each, no sessions
      );
      expect([run.ok, run.sessions]).toEqual([HOSTS, HOSTS * SESSIONS]);
      listings.push({
        detail,
        concurrency,
        'time s': round(run.ms / 1000, 2),
        'peak threads': run.peakThreads,
        'peak MB': run.peakMB,
        'calls per host': round(calls / HOSTS, 1),
      });
    }

    // The running enforcer: sign-ins on LOGONS hosts spread over the farm, every host up; then the first 10% down.
    // One sign-in per host, on hosts spread evenly over hosts from..HOSTS-1.
    const spread = (from: number) => {
      const count = Math.min(LOGONS, HOSTS - from);
      return Array.from({ length: count }, (_, i) => from + Math.floor((i * (HOSTS - from)) / count));
    };
    const allUp = await enforcerRun(windows, farmOf(), () => spread(0), HOSTS);
    const tenth = Math.floor(HOSTS / 10);
    const someDown = await enforcerRun(
      windows,
      farmOf({ down: [[0, tenth, DOWN_MS]] }),
      () => spread(tenth),
      HOSTS - tenth,
    );
    await windows.stop();

    // Hosts beyond the wait threads: a process with POLLED fewer wait threads than hosts.
    process.env.WINDOWS_SESSIONS_WAIT_THREADS = String(HOSTS - POLLED);
    polledWindows = await WindowsNode.start(wine);
    delete process.env.WINDOWS_SESSIONS_WAIT_THREADS;
    // Half the sign-ins on polled hosts, half on watched ones.
    const polled = await enforcerRun(
      polledWindows,
      farmOf(),
      (hosts) => {
        const onPolled = hosts.map((h) => Number(h.slice(2))).slice(0, LOGONS >> 1);
        const others = spread(0).filter((h) => !onPolled.includes(h));
        return [...onPolled, ...others.slice(0, LOGONS - onPolled.length)];
      },
      HOSTS,
    );

    const enforcer = [
      ['all up', allUp],
      [`first ${tenth} down (${DOWN_MS / 1000} s time-out)`, someDown],
      [`${POLLED} beyond the wait threads`, polled],
    ] as const;
    const runs = enforcer.map(([label, r]) => ({
      ...reactionRow(label, r.reactions),
      'startup s': round(r.start.startupMs / 1000),
      watched: r.start.watched,
      polled: r.start.polled,
      'startup peak threads': r.start.peakThreads,
      'idle CPU % of a core': round(r.idle.cpuPercent, 2),
      'idle MB': round(r.idle.rssMB),
      'idle threads': r.idleProc.threads,
      'watched hosts p99 ms': round(quantile(r.watchedReactions, 0.99), 0),
      'polled hosts p99 ms': r.polledReactions.length ? round(quantile(r.polledReactions, 0.99), 0) : null,
      'polled sign-ins': r.polledReactions.length,
    }));
    const p99 = (r: { reactions: number[] }) => quantile(r.reactions, 0.99);
    const bestOf = (detail: ListingRow['detail']) =>
      listings.filter((l) => l.detail === detail).reduce((a, b) => (a['time s'] <= b['time s'] ? a : b));
    const best = bestOf('full');
    const summary = bestOf('summary');
    // Remote reads run on the addon's 16 remote-read threads (native/job_worker.h): at most 16 hosts at once.
    const perHostMs = (l: ListingRow) => round((l['time s'] * 1000 * 16) / HOSTS, 0);
    const targets = [
      {
        target: 'reaction p99 < 2 s on watched hosts (all up)',
        figure: `${round(p99(allUp), 0)} ms`,
        met: p99(allUp) < 2000,
      },
      {
        target: `polled hosts react within their interval + 1 s (${POLL_EVERY_MS / 1000 + 1} s)`,
        figure: `${round(Math.max(...polled.polledReactions), 0)} ms at most over ${polled.polledReactions.length} sign-ins on polled hosts (${POLLED} polled); watched hosts of that run: p99 ${round(quantile(polled.watchedReactions, 0.99), 0)} ms`,
        met: polled.polledReactions.length > 0 && Math.max(...polled.polledReactions) < POLL_EVERY_MS + 1000,
      },
      {
        target: `listSessionsOn ${HOSTS} hosts x ${SESSIONS} sessions at ${RTT} ms/call < 10 s with <= 256 threads`,
        figure: `${best['time s']} s, ${best['peak threads']} threads (concurrency ${best.concurrency}); bound: ${best['calls per host']} calls per host on 16 remote-read threads, ${perHostMs(best)} ms a host`,
        met: best['time s'] < 10 && best['peak threads'] <= 256,
      },
      {
        target: `listSessionsOn ${HOSTS} hosts at ${RTT} ms/call, detail 'summary' (one WTSEnumerateSessionsExW a host) < 10 s with <= 256 threads`,
        figure: `${summary['time s']} s, ${summary['peak threads']} threads (concurrency ${summary.concurrency}), ${summary['calls per host']} calls per host`,
        met: summary['time s'] < 10 && summary['peak threads'] <= 256,
      },
      {
        target: `idle CPU < 1% of one core and memory < 200 MB for ${HOSTS} hosts`,
        // Under Wine 8 each thread holds ~985 KB resident whatever its stack: 1,000 threads blocked on an event took
        // 985 MB with the default stack and with CreateThread(64 KB or 16 KB, STACK_SIZE_PARAM_IS_A_RESERVATION) alike.
        // Windows commits a stack page by page as it is touched (Microsoft's "Thread Stack Size" page).
        figure: `${round(allUp.idle.cpuPercent, 2)}%, ${round(allUp.idle.rssMB)} MB, ${allUp.idleProc.threads} threads (bound under Wine: ~985 KB resident per thread whatever its stack size; Windows commits only the stack pages a blocked wait touches)`,
        met: allUp.idle.cpuPercent < 1 && allUp.idle.rssMB < 200,
      },
      {
        target: 'a down host never delays another host’s reaction (p99 with 10% down < 2 s)',
        figure: `${round(p99(someDown), 0)} ms with ${tenth} down vs ${round(p99(allUp), 0)} ms all up`,
        met: p99(someDown) < 2000,
      },
    ];
    console.log(`\nfarm: ${HOSTS} hosts x ${SESSIONS} sessions, ${RTT} ms per call`);
    console.table(listings);
    console.table(runs);
    // Each sign-in of the polled run, in the order they were scripted (100 ms apart): which mode, and its reaction.
    console.log(
      `polled run, each sign-in: ${polled.targets
        .map(
          (h, i) =>
            `ts${h}${new Set(polled.start.polledHosts).has(`ts${h}`) ? '(polled)' : ''} ${round(polled.reactions[i]!, 0)}`,
        )
        .join(', ')}`,
    );
    for (const t of targets) console.log(`  ${t.met ? 'met   ' : 'MISSED'} ${t.target}: ${t.figure}`);
    const file = join(process.cwd(), 'bench-results.json');
    const results = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    results.farm = {
      date: new Date().toISOString(),
      hosts: HOSTS,
      sessionsPerHost: SESSIONS,
      rttMs: RTT,
      slowHosts: '1% (200 ms more per call)',
      listSessionsOn: listings,
      enforcer: runs,
      targets,
    };
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    console.log('written: bench-results.json (farm)');
    await sleep(0);
  } finally {
    await windows.stop();
    await polledWindows?.stop();
  }
});
