import { open, type FileHandle } from 'node:fs/promises';
import type { MessageAnswer } from '../types.js';
import { accountName } from './plan.js';
import type { AuditRecord, AuditTarget, PolicyDecision } from './policy-types.js';

/** Writes audit records, each one fully written (to its file, stream or function) before the promise resolves. */
export interface AuditLog {
  write(record: AuditRecord): Promise<void>;
  close(): Promise<void>;
}

function checkTarget(target: unknown): AuditTarget | undefined {
  if (target === undefined || typeof target === 'function') return target as AuditTarget | undefined;
  if (typeof target === 'string') {
    if (target.trim() === '') throw new TypeError('options.audit must be a file path, a writable stream or a function');
    return target;
  }
  if (typeof target === 'object' && target !== null && typeof (target as NodeJS.WritableStream).write === 'function') {
    return target as NodeJS.WritableStream;
  }
  throw new TypeError('options.audit must be a file path, a writable stream or a function');
}

const line = (record: AuditRecord) => `${JSON.stringify(record)}\n`;

const nothing = () => Promise.resolve();

/**
 * Opens the file for appending. EBUSY (libuv's ERROR_SHARING_VIOLATION: someone holds it open unshared) is tried again
 * after 0.1 s, 0.2 s ... 1.6 s: a reader with an editor open should delay a record, not lose it.
 */
async function openForAppend(path: string): Promise<FileHandle> {
  for (let delay = 100; ; delay *= 2) {
    try {
      return await open(path, 'a');
    } catch (error) {
      if ((error as { code?: string }).code !== 'EBUSY' || delay > 1600) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * Appends to a file, one record at a time and in order, even when actions on several sessions end together. Each
 * record is on disk (fdatasync) before its write resolves: a record a power cut can lose is no evidence. A failure
 * (a missing folder, a full disk) fails that write only: the next one opens the file again, so that one bad moment
 * never leaves the log, and with it enforcement, off until a restart.
 */
function fileLog(path: string): AuditLog {
  let handle: FileHandle | null = null;
  let queue: Promise<void> = Promise.resolve();
  const drop = async () => {
    const old = handle;
    handle = null;
    await old?.close().catch(() => undefined);
  };
  const append = async (text: string) => {
    try {
      handle ??= await openForAppend(path);
      await handle.appendFile(text, 'utf8');
      await handle.datasync();
    } catch (error) {
      await drop(); // a handle that failed once may hold a half-written line: start afresh
      throw error;
    }
  };
  return {
    write(record) {
      const text = line(record);
      // Each write waits for the one before, but not on its success.
      const done = queue.catch(() => undefined).then(() => append(text));
      queue = done;
      return done;
    },
    async close() {
      await queue.catch(() => undefined); // its failure was reported to the write that made it
      await drop();
    },
  };
}

function streamLog(stream: NodeJS.WritableStream): AuditLog {
  return {
    write: (record) =>
      new Promise<void>((resolve, reject) => {
        stream.write(line(record), (error?: Error | null) => {
          if (error) reject(error);
          else resolve();
        });
      }),
    close: nothing,
  };
}

/** Opens the audit target of `options.audit`; without one, records go nowhere. A file is opened for appending. */
export function openAuditLog(target: unknown): AuditLog {
  const checked = checkTarget(target);
  if (checked === undefined) return { write: nothing, close: nothing };
  if (typeof checked === 'string') return fileLog(checked);
  if (typeof checked !== 'function') return streamLog(checked);
  return {
    async write(record) {
      await checked(record);
    },
    close: nothing,
  };
}

/** `log`, with each record (and whether it was written) also given to `copy`, which may not fail it. */
export function teeAuditLog(log: AuditLog, copy: (record: AuditRecord, error: Error | null) => void): AuditLog {
  const tell = (record: AuditRecord, error: Error | null) => {
    try {
      copy(record, error);
    } catch {
      // The copy is a second place: the first one decides.
    }
  };
  return {
    async write(record) {
      try {
        await log.write(record);
      } catch (error) {
        tell(record, error as Error);
        throw error;
      }
      tell(record, null);
    },
    close: () => log.close(),
  };
}

/**
 * An audit record that could not be written, as reported in rows: code `ERR_POLICY_AUDIT_FAILED`, the cause (e.g.
 * ENOSPC) attached.
 */
export function auditFailure(error: unknown): Error & { code: string } {
  const message = error instanceof Error ? error.message : String(error);
  return Object.assign(new Error(`audit record not written: ${message}`, { cause: error }), {
    code: 'ERR_POLICY_AUDIT_FAILED',
  });
}

/**
 * The record that opens (`'start'`) or closes (`'stop'`) a run, or marks a new policy put in force (`'reload'`), naming
 * the policy by its hash.
 */
export function runRecord(
  outcome: 'start' | 'stop' | 'reload',
  policyHash: string,
  warnings?: readonly string[],
): AuditRecord {
  return {
    ...hostRecord(null, outcome),
    policyHash,
    ...(warnings === undefined ? {} : { warnings: [...warnings] }),
  };
}

function errorOf(error: unknown): AuditRecord['error'] {
  if (error === undefined || error === null) return null;
  const e = error as Partial<Error> & { code?: unknown };
  return {
    code: typeof e.code === 'string' ? e.code : null,
    message: typeof e.message === 'string' ? e.message : 'unknown error',
  };
}

/** The record of a decision, or of what came of it. */
export function decisionRecord(
  d: PolicyDecision,
  host: string | null,
  outcome: AuditRecord['outcome'],
  extra: { answer?: MessageAnswer | null; error?: unknown; deadline?: number } = {},
): AuditRecord {
  const s = d.session;
  const record: AuditRecord = {
    time: new Date().toISOString(),
    host,
    session: s.id,
    user: accountName(s),
    client: s.clientName === null && s.clientAddress === null ? null : { name: s.clientName, address: s.clientAddress },
    rule: d.rule,
    action: d.action,
    reason: d.reason,
    answer: extra.answer ?? null,
    outcome,
    error: errorOf(extra.error),
    logonTime: s.logonTime?.toISOString() ?? null,
  };
  if (extra.deadline !== undefined) record.deadline = new Date(extra.deadline).toISOString();
  if (d.ruleSet) record.ruleSet = d.ruleSet;
  if (d.window) record.window = d.window;
  return record;
}

/** The record of a host: one that could not be listed (`'failed'`), stopped answering, or answers again. */
export function hostRecord(
  host: string | null,
  outcome: 'failed' | 'hostDown' | 'hostUp' | 'start' | 'stop' | 'reload',
  error?: unknown,
): AuditRecord {
  return {
    time: new Date().toISOString(),
    host,
    session: null,
    user: null,
    client: null,
    rule: null,
    action: null,
    reason: null,
    answer: null,
    outcome,
    error: errorOf(error),
  };
}
