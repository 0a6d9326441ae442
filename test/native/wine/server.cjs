// Runs inside the official Windows node.exe under Wine. Loads windows-sessions exactly as an installed package
// (node_modules beside this file, prebuild through node-gyp-build) and answers the Linux test process over a
// loopback TCP socket, one JSON request per line. (Windows node under Wine cannot write to a pipe, so nothing here
// uses stdout.)
'use strict';

const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { createClient, createNativeBackend } = require('windows-sessions');

const backend = createNativeBackend();
const packageDir = path.dirname(require.resolve('windows-sessions/package.json'));

const SPECIALS = ['undefined', 'NaN', 'Infinity', '-Infinity', 'bigint', 'symbol', 'function'];

/** Arguments that JSON cannot carry, spelled { $: kind } (or { $: kind, v }); any other object is itself. */
function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    const special = keys.includes('$') && keys.every((k) => k === '$' || k === 'v') && SPECIALS.includes(value.$);
    if (special) {
      switch (value.$) {
        case 'undefined':
          return undefined;
        case 'NaN':
          return NaN;
        case 'Infinity':
          return Infinity;
        case '-Infinity':
          return -Infinity;
        case 'bigint':
          return BigInt(value.v);
        case 'symbol':
          return Symbol(value.v);
        case 'function':
          return () => {};
        default:
          throw new Error(`unknown encoded value ${value.$}`);
      }
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

function serializeError(error) {
  const { name, message, code, errno, syscall, sessionId, server, stack, hint } = error ?? {};
  return {
    name: name ?? typeof error,
    message: message ?? String(error),
    code,
    hint,
    errno,
    syscall,
    sessionId,
    server,
    stack,
  };
}

function listInWorker() {
  const source = `
    const { parentPort } = require('node:worker_threads');
    const { listSessions } = require(${JSON.stringify(require.resolve('windows-sessions'))});
    listSessions().then((s) => parentPort.postMessage({ ok: s.map((x) => [x.id, x.userName]) }),
      (e) => parentPort.postMessage({ error: String(e) }));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true });
    worker.once('message', (m) => (m.error ? reject(new Error(m.error)) : resolve(m.ok)));
    worker.once('error', reject);
  });
}

/**
 * Worker threads that each start a listing, a session watch and a message box that blocks (the scenario answers it
 * late), and are terminated while those are in flight: the addon must neither crash nor leave anything open.
 */
async function terminateCycles({ count, holdMs = 30 }) {
  const source = `
    const { parentPort } = require('node:worker_threads');
    const ws = require(${JSON.stringify(require.resolve('windows-sessions'))});
    void ws.listSessions().catch(() => {});
    void ws.watchSessions()[Symbol.asyncIterator]().next().catch(() => {});
    void ws.sendMessage(2, { message: 'blocking', wait: true }).catch(() => {});
    parentPort.postMessage('started');`;
  for (let i = 0; i < count; i++) {
    const worker = new Worker(source, { eval: true });
    await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await new Promise((resolve) => setTimeout(resolve, holdMs)); // the native calls are now in flight
    await worker.terminate();
  }
  return { cycles: count };
}

async function soak({ count, server = null }) {
  global.gc?.();
  const before = process.memoryUsage();
  const outcomes = {};
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    try {
      const sessions = await backend.listSessions(server);
      // A listing that kept a session it could not fully read.
      const key = sessions.some((s) => s.partial !== null) ? 'partial' : 'ok';
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    } catch (error) {
      outcomes[error.code] = (outcomes[error.code] ?? 0) + 1;
    }
  }
  global.gc?.();
  const after = process.memoryUsage();
  return {
    outcomes,
    ms: Date.now() - started,
    rssBefore: before.rss,
    rssAfter: after.rss,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
  };
}

/**
 * Aborts a slow operation after `abortAfterMs` and reports how it settled and whether the native work was still
 * running then; answers only once that work is done, so that the stand-in's accounting is final.
 */
async function cancel({ op, abortAfterMs }) {
  let native;
  let nativeDone = false;
  const track = (promise) => {
    native = promise.finally(() => (nativeDone = true));
    return native;
  };
  const client = createClient({
    ...backend,
    listSessions: (server) => track(backend.listSessions(server)),
    sendMessage: (...args) => track(backend.sendMessage(...args)),
    watchEvents: (server) => backend.watchEvents(server),
  });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), abortAfterMs);
  const outcome = { settled: null, name: null, nativeDoneWhenSettled: null };
  try {
    if (op === 'listSessions') await client.listSessions({ signal: controller.signal });
    if (op === 'sendMessage') await client.sendMessage(2, { message: 'slow reader', signal: controller.signal });
    if (op === 'watch') for await (const _ of client.watchSessions({ signal: controller.signal })) void _;
    outcome.settled = 'resolved';
  } catch (error) {
    outcome.settled = 'rejected';
    outcome.name = error.name;
  }
  outcome.nativeDoneWhenSettled = native ? nativeDone : null;
  await native?.catch(() => undefined);
  return outcome;
}

/** JSON for answers: the raw addon's FILETIMEs are BigInts, sent as text. */
const jsonSafe = (_key, value) => (typeof value === 'bigint' ? `${value}n` : value);

const watches = new Map();
let lastWatch = 0;

const methods = {
  info: async () => ({
    node: process.versions.node,
    platform: process.platform,
    arch: process.arch,
    napi: process.versions.napi,
    execPath: process.execPath,
    buildDir: fs.existsSync(path.join(packageDir, 'build')),
  }),
  backend: ({ op, args }) => backend[op](...decode(args)),
  // The addon itself, without lib/'s checks in front: its own argument checks must hold.
  raw: ({ fn, args }) => {
    const addon = require('node-gyp-build')(packageDir);
    return addon[fn](...decode(args));
  },
  worker: () => listInWorker(),
  watchOpen: async ({ server }) => {
    const id = ++lastWatch;
    watches.set(id, await backend.watchEvents(server));
    return id;
  },
  watchNext: ({ watchId, types }) => watches.get(watchId).next(types),
  watchClose: async ({ watchId }) => {
    await watches.get(watchId)?.close();
    watches.delete(watchId);
  },
  soak,
  terminateCycles,
  cancel,
  // bench/windows-bench.cjs, copied beside this file for npm run bench.
  bench: ({ kind, ...params }) => require('./windows-bench.cjs')[kind](params),
  // Exits once the answer is on its way; the stand-in writes its final stats as the DLL unloads.
  exit: async () => {
    setTimeout(() => process.exit(0), 50);
    return null;
  },
};

const server = net.createServer((socket) => {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const { id, method, params } = JSON.parse(line);
      Promise.resolve()
        .then(() => methods[method](params ?? {}))
        .then(
          (result) =>
            socket.write(`${JSON.stringify({ id, result: result === undefined ? null : result }, jsonSafe)}\n`),
          (error) => socket.write(`${JSON.stringify({ id, error: serializeError(error) })}\n`),
        );
    }
  });
  socket.on('error', () => {});
});

server.listen(0, '127.0.0.1', () => {
  const portFile = process.argv[2];
  fs.writeFileSync(`${portFile}.tmp`, String(server.address().port));
  fs.renameSync(`${portFile}.tmp`, portFile);
});
