// Starts the Windows node.exe under Wine with server.cjs and talks to it: the Linux side of the native suites.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket, connect } from 'node:net';
import type { Backend } from '../../../lib/backend.js';
import { WtsError } from '../../../lib/errors.js';
import type { MessageAnswer, ProcessInfo, Session, SessionEventType, SessionSummary } from '../../../lib/types.js';
import { DEFAULT_NODE, WINE, type WineEnvironment, winPath, wineEnv } from './environment.js';

export interface StartOptions {
  version?: string;
  /** Use Wine's own wtsapi32 instead of the stand-in. */
  wineWtsapi?: boolean;
  /**
   * Run a copy of node.exe under this file name, alone in a folder of its own, as Electron or a single-executable
   * app would be: no module named node.exe is loaded or can be found.
   */
  hostName?: string;
}

/** A copy of node.exe under another name, in a folder with nothing else in it. */
function renamedHost(node: string, hostName: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-host-'));
  const exe = join(dir, hostName);
  copyFileSync(node, exe);
  return exe;
}

export interface RemoteError {
  name: string;
  message: string;
  code?: string;
  errno?: number;
  syscall?: string;
  sessionId?: number;
  server?: string;
  /** The stack as it was on the Windows side. */
  stack?: string;
  /** WtsError's hint, as the Windows side gave it. */
  hint?: string;
}

/**
 * Rebuilds an error thrown on the Windows side: a WtsError, or an Error of the same name. Every field is the one
 * Windows node raised (code and hint too), never recomputed here, so a test checks what the package said there.
 */
export function reviveError(e: RemoteError): Error {
  if (e.name === 'WtsError' && e.errno !== undefined && e.syscall) {
    const error = new WtsError({ errno: e.errno, syscall: e.syscall, sessionId: e.sessionId, server: e.server });
    for (const [key, value] of Object.entries({ message: e.message, code: e.code, hint: e.hint })) {
      Object.defineProperty(error, key, { value, enumerable: key !== 'message', configurable: true, writable: true });
    }
    return error;
  }
  const Type = ({ TypeError, RangeError } as Record<string, ErrorConstructor>)[e.name] ?? Error;
  return Object.assign(new Type(e.message), {
    code: e.code,
    errno: e.errno,
    syscall: e.syscall,
    sessionId: e.sessionId,
    remoteName: e.name,
    remoteStack: e.stack,
  });
}

function reviveSession(s: Record<string, unknown>): Session {
  const out: Record<string, unknown> = { ...s };
  for (const key of ['logonTime', 'connectTime', 'disconnectTime', 'lastInputTime', 'serverTime']) {
    if (typeof out[key] === 'string') out[key] = new Date(out[key]);
  }
  return out as unknown as Session;
}

export class WindowsNode {
  /** The folder the stand-in reads its scenario from and writes its log and stats to. */
  readonly standinDir: string;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly socket: Socket,
    standinDir: string,
    exited: Promise<number | null>,
    readonly logDir: string,
  ) {
    this.standinDir = standinDir;
    this.exited = exited;
    // A crash must fail the waiting test at once, with what Windows node printed, not leave it hanging.
    void exited.then((code) => {
      this.exitCode = code;
      const error = new Error(`Windows node.exe exited (${code}) with requests pending:\n${this.stderr()}`);
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    });
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const { id, result, error } = JSON.parse(buffer.slice(0, newline)) as {
          id: number;
          result?: unknown;
          error?: RemoteError;
        };
        buffer = buffer.slice(newline + 1);
        const waiter = this.pending.get(id);
        this.pending.delete(id);
        if (error) waiter?.reject(reviveError(error));
        else waiter?.resolve(result);
      }
    });
  }

  static async start(env: WineEnvironment, options: StartOptions = {}): Promise<WindowsNode> {
    const dir = mkdtempSync(join(tmpdir(), 'windows-sessions-run-'));
    const portFile = join(dir, 'port');
    const out = openSync(join(dir, 'stdout.txt'), 'w');
    const err = openSync(join(dir, 'stderr.txt'), 'w');
    const installed = env.nodes[options.version ?? DEFAULT_NODE];
    if (!installed) throw new Error(`no Windows node.exe ${options.version}`);
    const node = options.hostName ? renamedHost(installed, options.hostName) : installed;
    const child = spawn(WINE, [node, '--expose-gc', winPath(join(env.installDir, 'server.cjs')), winPath(portFile)], {
      cwd: env.installDir,
      env: wineEnv(env.prefix, {
        WTS_STANDIN_DIR: winPath(dir),
        WINEDLLOVERRIDES: options.wineWtsapi ? 'wtsapi32=b' : 'wtsapi32=n',
      }),
      stdio: ['ignore', out, err],
    });
    closeSync(out);
    closeSync(err);
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    const state = { gone: false };
    void exited.then(() => (state.gone = true));
    const deadline = Date.now() + 90_000;
    while (!existsSync(portFile)) {
      if (state.gone || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Windows node.exe did not start:\n${readFileSync(join(dir, 'stderr.txt'), 'utf8')}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const port = Number(readFileSync(portFile, 'utf8'));
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new WindowsNode(child, socket, dir, exited, dir);
  }

  request<T>(method: string, params: unknown = {}): Promise<T> {
    if (this.exitCode !== undefined) {
      return Promise.reject(new Error(`Windows node.exe has exited (${this.exitCode}):\n${this.stderr()}`));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  }

  /** The Linux process id of the Windows node.exe (Wine runs it as one process): for /proc figures in bench/. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The native backend in the Windows process, as a Backend here. */
  backend(): Backend {
    const call = <T>(op: keyof Backend, ...args: unknown[]) => this.request<T>('backend', { op, args });
    return {
      name: 'native (Windows node.exe under Wine)',
      listSessions: async (server, lockState, callerClock) =>
        (await call<Record<string, unknown>[]>('listSessions', server, lockState, callerClock)).map(reviveSession),
      listSessionSummaries: (server) => call<SessionSummary[]>('listSessionSummaries', server),
      getSession: async (id, server, lockState, callerClock) => {
        const s = await call<Record<string, unknown> | null>('getSession', id, server, lockState, callerClock);
        return s === null ? null : reviveSession(s);
      },
      currentSessionId: () => call<number>('currentSessionId'),
      isAdministrator: () => call<boolean>('isAdministrator'),
      logoff: async (id, wait, server) => {
        await call('logoff', id, wait, server);
      },
      disconnect: async (id, wait, server) => {
        await call('disconnect', id, wait, server);
      },
      sendMessage: (id, request, server) => call<MessageAnswer>('sendMessage', id, request, server),
      listProcesses: (server, usage) => call<ProcessInfo[]>('listProcesses', server, usage),
      processorCount: (server) => call<number | null>('processorCount', server),
      userGroups: (user, domain, scope, server, sessionId) =>
        call<string[]>('userGroups', user, domain, scope, server, sessionId),
      watchEvents: async (server) => {
        const watchId = await this.request<number>('watchOpen', { server });
        return {
          next: (types) => this.request<SessionEventType[]>('watchNext', { watchId, types }),
          close: async () => {
            await this.request('watchClose', { watchId });
          },
        };
      },
    };
  }

  /** Ends the Windows process cleanly (so the stand-in writes its final stats) and returns its exit code. */
  async stop(): Promise<number | null> {
    if (this.exitCode !== undefined) return this.exitCode;
    await this.request('exit').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    const code = await this.exited;
    clearTimeout(timer);
    this.socket.destroy();
    return code;
  }

  stderr(): string {
    return readFileSync(join(this.logDir, 'stderr.txt'), 'utf8');
  }
}

/**
 * Runs a script of the installed package (e.g. its CLI) in Windows node.exe once, against the stand-in reading
 * `standinDir`; stdout and stderr go through files, since Windows node under Wine cannot write to a pipe.
 */
export function runWindowsScript(
  env: WineEnvironment,
  script: string,
  args: string[],
  standinDir: string,
  options: { version?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): { code: number | null; stdout: string; stderr: string } {
  const outFile = join(standinDir, 'script-stdout.txt');
  const errFile = join(standinDir, 'script-stderr.txt');
  const out = openSync(outFile, 'w');
  const err = openSync(errFile, 'w');
  try {
    const node = env.nodes[options.version ?? DEFAULT_NODE];
    if (!node) throw new Error(`no Windows node.exe ${options.version}`);
    const result = spawnSync(WINE, [node, winPath(script), ...args], {
      cwd: env.installDir,
      env: wineEnv(env.prefix, {
        WTS_STANDIN_DIR: winPath(standinDir),
        WINEDLLOVERRIDES: 'wtsapi32=n',
        TZ: 'UTC',
        ...options.env,
      }),
      stdio: ['ignore', out, err],
      timeout: options.timeoutMs ?? 120_000,
    });
    return { code: result.status, stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}
