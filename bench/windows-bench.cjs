// Benchmark methods that run inside the official Windows node.exe under Wine (loaded by test/native/wine/server.cjs),
// against the scripted wtsapi32.dll: this package's listing, the same WTS calls made through koffi, and a process
// spawned per listing whose `query user`-style text is parsed.
'use strict';

const path = require('node:path');
const { spawn } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const { createNativeBackend } = require('windows-sessions');

const packageDir = path.dirname(require.resolve('windows-sessions/package.json'));

/**
 * The event loop's longest stall while `fn` runs: the longest gap between two turns of a setImmediate chain (each
 * turn comes as soon as the loop is free, so a gap is time the loop spent on something else in one piece).
 */
function stallWatch() {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const turn = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  return () => {
    running = false;
    return Math.max(longest, performance.now() - last);
  };
}

/**
 * Runs `fn` `runs` times one after another; wall time of each and the event loop's longest stall during them.
 * The stall watch keeps the main thread busy between turns, which slows asynchronous calls a little (not koffi's
 * synchronous ones): BENCH_NO_STALL_WATCH=1 times the runs without it.
 */
async function measure(runs, fn, warmUp = true, watchStalls = process.env.BENCH_NO_STALL_WATCH !== '1') {
  // One run first, unmeasured: the first call loads the addon (or koffi, or cmd.exe), a cost paid once per process.
  if (warmUp) await fn();
  const times = [];
  let stallMs = 0;
  let count = 0;
  for (let i = 0; i < runs; i++) {
    const stop = watchStalls ? stallWatch() : () => 0;
    const started = performance.now();
    count = await fn();
    times.push(performance.now() - started);
    stallMs = Math.max(stallMs, stop());
  }
  return { times, stallMs, count };
}

/**
 * Times every synchronous stretch the package runs on the main thread: each addon call, and each slice of records
 * taken from the addon together with its conversion to Session objects (which runs right after takeSessions, up
 * to the next await: a microtask queued in the call runs when that stretch ends). The addon is the object the
 * package itself loads: node-gyp-build requires the same file, so its exports come from the same require cache.
 */
function instrumentAddon() {
  const addon = require('node-gyp-build')(packageDir);
  if (addon.__stretches) return addon.__stretches;
  const stretches = { current: [] };
  const timed = (name, sliceEndsLater) => {
    const real = addon[name];
    addon[name] = function (...args) {
      const started = performance.now();
      const result = real.apply(this, args);
      if (sliceEndsLater) queueMicrotask(() => stretches.current.push(performance.now() - started));
      else stretches.current.push(performance.now() - started);
      return result;
    };
  };
  timed('listSessions', false);
  timed('takeSessions', true);
  addon.__stretches = stretches;
  return stretches;
}

/** This package: the public native backend (all fields, converted), or the raw addon with a chosen concurrency. */
async function listing({ runs, server = null, concurrency, warmUp = true, watchStalls }) {
  if (concurrency === undefined) {
    const stretches = instrumentAddon();
    const backend = createNativeBackend();
    const longest = [];
    const result = await measure(
      runs,
      async () => {
        stretches.current = [];
        const n = (await backend.listSessions(server)).length;
        longest.push(Math.max(0, ...stretches.current));
        return n;
      },
      warmUp,
    );
    // The warm-up run is not counted.
    return { ...result, longestStretchMs: warmUp ? longest.slice(1) : longest };
  }
  const addon = require('node-gyp-build')(packageDir);
  return measure(runs, async () => (await addon.listSessions(server, concurrency)).length, warmUp, watchStalls);
}

let koffiApi;
/** The same calls through koffi, as a Node user would write them with a generic FFI: synchronous, on the main thread. */
function koffiListing() {
  if (!koffiApi) {
    const koffi = require('koffi');
    const lib = koffi.load('wtsapi32.dll');
    koffiApi = {
      koffi,
      enumerate: lib.func(
        'bool __stdcall WTSEnumerateSessionsW(void *h, uint32 reserved, uint32 version, _Out_ void **info, _Out_ uint32 *count)',
      ),
      query: lib.func(
        'bool __stdcall WTSQuerySessionInformationW(void *h, uint32 id, int cls, _Out_ void **buf, _Out_ uint32 *bytes)',
      ),
      free: lib.func('void __stdcall WTSFreeMemory(void *p)'),
    };
  }
  const { koffi, enumerate, query, free } = koffiApi;
  const bytesOf = (ptr, n) => Buffer.from(koffi.decode(ptr, koffi.array('uint8', n)));
  const text = (buf, offset, chars) => {
    const s = buf.toString('utf16le', offset, offset + chars * 2);
    const end = s.indexOf('\0');
    return end < 0 ? s : s.slice(0, end);
  };
  const info = [null];
  const count = [0];
  if (!enumerate(null, 0, 1, info, count)) throw new Error('WTSEnumerateSessionsW failed');
  const list = bytesOf(info[0], count[0] * 24);
  const sessions = [];
  for (let i = 0; i < count[0]; i++) {
    const id = list.readUInt32LE(i * 24);
    // Reads the pointer at offset 8 (pWinStationName) and the UTF-16 string it points to.
    const station = koffi.decode(info[0], i * 24 + 8, 'str16') ?? '';
    const buf = [null];
    const bytes = [0];
    if (!query(null, id, 24, buf, bytes)) continue;
    const wts = bytesOf(buf[0], 216);
    free(buf[0]);
    const session = {
      id,
      station,
      user: text(wts, 140, 21),
      domain: text(wts, 106, 17),
      logon: wts.readBigInt64LE(200),
    };
    let protocol = station === 'Console' || station === 'Services' ? 0 : station.startsWith('RDP-Tcp') ? 2 : -1;
    if (protocol < 0 && query(null, id, 16, buf, bytes)) {
      protocol = bytesOf(buf[0], 2).readUInt16LE(0);
      free(buf[0]);
    }
    if (protocol !== 0 && query(null, id, 23, buf, bytes)) {
      const client = bytesOf(buf[0], 2304);
      free(buf[0]);
      session.clientName = text(client, 0, 21);
    }
    sessions.push(session);
  }
  free(info[0]);
  return sessions.length;
}

async function koffi({ runs }) {
  return measure(runs, async () => koffiListing());
}

let floorListing;
/** The floor: the same WTS calls in a plain native loop (bench/floor.c), one koffi call per listing. */
async function floor({ runs }) {
  if (!floorListing) {
    const koffi = require('koffi');
    floorListing = koffi.load(path.join(__dirname, 'floor.dll')).func('int FloorListing(const char16_t *server)');
  }
  return measure(runs, async () => floorListing(null));
}

/** A process per listing printing `query user`-style text (cmd /c type of a prepared file), then parsed. */
function spawnListing(file) {
  return new Promise((resolve, reject) => {
    const child = spawn('cmd.exe', ['/c', 'type', file], { windowsHide: true });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => (out += chunk));
    child.on('error', reject);
    child.on('close', () => {
      const rows = out
        .split(/\r?\n/)
        .slice(1)
        .map((line) => line.match(/^[ >](\S+)\s+(\S*)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.+)$/))
        .filter(Boolean)
        .map((m) => ({ user: m[1], station: m[2], id: Number(m[3]), state: m[4], idle: m[5], logon: m[6] }));
      resolve(rows.length);
    });
  });
}

async function spawned({ runs, file }) {
  return measure(runs, () => spawnListing(file));
}

/** One thread hop: an addon call that does next to nothing on libuv's pool (ProcessIdToSessionId) and comes back. */
async function hop({ runs }) {
  const addon = require('node-gyp-build')(packageDir);
  return measure(runs, async () => addon.currentSessionId());
}

/** One session read on its own (addon.getSession): a hop, that session's queries, one record built. */
async function getOne({ runs, sessionId, watchStalls }) {
  const addon = require('node-gyp-build')(packageDir);
  return measure(runs, async () => ((await addon.getSession(sessionId, null, false)) ? 1 : 0), true, watchStalls);
}

/** The raw addon listing (no records taken or converted), with or without the stall watch. */
async function rawListing({ runs, watchStalls }) {
  const addon = require('node-gyp-build')(packageDir);
  return measure(runs, async () => (await addon.listSessions(null)).length, true, watchStalls);
}

async function hopNoWatch({ runs, watchStalls }) {
  const addon = require('node-gyp-build')(packageDir);
  return measure(runs, async () => addon.currentSessionId(), true, watchStalls);
}

/** Every process through the public native backend: WTSEnumerateProcessesW, or with `usage` WTSEnumerateProcessesExW. */
async function processes({ runs, usage }) {
  const backend = createNativeBackend();
  return measure(runs, async () => (await backend.listProcesses(null, usage)).length);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const rssMB = () => process.memoryUsage().rss / 2 ** 20;

/** The farm (bench/farm.run.ts): listSessionsOn over every host once. */
async function farmListing({ hosts, concurrency, detail }) {
  const started = performance.now();
  const rows = await require('windows-sessions').listSessionsOn(hosts, { concurrency, detail });
  const ms = performance.now() - started;
  const ok = rows.filter((r) => r.ok);
  return { ms, ok: ok.length, sessions: ok.reduce((n, r) => n + r.sessions.length, 0), rssMB: rssMB() };
}

// The running enforcer of the farm bench, across requests: started, left idle, timed, stopped.
let farm = null;

async function farmStart({ hosts, up, timeoutMs = 600_000 }) {
  const stop = new AbortController();
  const decided = [];
  const modes = new Map();
  const policy = { trust: { users: ['u*'] }, rules: { untrustedUser: { action: 'signOut' } } };
  const started = Date.now();
  const running = require('windows-sessions').runPolicyEnforcer(policy, {
    servers: hosts,
    dryRun: true,
    checkEvery: '1h',
    signal: stop.signal,
    // The decision's record: 'decided' before an action, 'dryRun' in its place in a dry run (the same write).
    audit: (r) => {
      if (r.outcome === 'decided' || r.outcome === 'dryRun') decided.push({ host: r.host, time: Date.parse(r.time) });
    },
    onMode: (m) => modes.set(m.server, m.mode),
  });
  running.catch(() => undefined);
  farm = { stop, running, decided, modes };
  while (modes.size < up && Date.now() - started < timeoutMs) await sleep(100);
  const count = (mode) => [...modes.values()].filter((m) => m === mode).length;
  const polledHosts = [...modes].filter(([, m]) => m === 'polled').map(([host]) => host);
  return {
    startupMs: Date.now() - started,
    watched: count('watched'),
    polled: count('polled'),
    polledHosts,
    rssMB: rssMB(),
  };
}

/** CPU (% of one core) and memory while nothing happens for `ms`. */
async function farmIdle({ ms }) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await sleep(ms);
  const used = process.cpuUsage(cpu);
  return { cpuPercent: ((used.user + used.system) / 1000 / (performance.now() - started)) * 100, rssMB: rssMB() };
}

/**
 * The `decided` records so far, once each sign-in of `logons` ({ host, at }) has one on its host from its time on (or
 * `timeoutMs` passed). Counted per sign-in, not per record: a host may write more than one.
 */
async function farmDecided({ logons, timeoutMs }) {
  const end = Date.now() + timeoutMs;
  const seen = (l) => farm.decided.some((r) => r.host === l.host && r.time >= l.at - 50);
  while (!logons.every(seen) && Date.now() < end) await sleep(50);
  return farm.decided.slice();
}

async function farmStop() {
  farm.stop.abort();
  await farm.running;
  farm = null;
  return true;
}

module.exports = {
  listing,
  koffi,
  floor,
  hop,
  spawned,
  getOne,
  rawListing,
  hopNoWatch,
  farmListing,
  farmStart,
  farmIdle,
  farmDecided,
  farmStop,
  processes,
};
