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

/** Appends to a file, one record at a time and in order, even when actions on several sessions end together. */
function fileLog(path: string): AuditLog {
  let file: Promise<FileHandle> | null = null;
  let queue: Promise<void> = Promise.resolve();
  return {
    write(record) {
      const opened = (file ??= open(path, 'a'));
      queue = queue.then(async () => {
        const handle = await opened;
        await handle.appendFile(line(record), 'utf8');
      });
      return queue;
    },
    async close() {
      await queue.catch(() => undefined); // its failure was reported to the write that made it
      if (file) await (await file).close();
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
  extra: { answer?: MessageAnswer | null; error?: unknown } = {},
): AuditRecord {
  const s = d.session;
  return {
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
  };
}

/** The record of a host: one that could not be listed (`'failed'`), stopped answering, or answers again. */
export function hostRecord(
  host: string | null,
  outcome: 'failed' | 'hostDown' | 'hostUp',
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
