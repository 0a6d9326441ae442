// An audit file someone holds open unshared: Node reports ERROR_SHARING_VIOLATION (32) as EBUSY (libuv's error
// table). The record waits for it, and is lost only when the file stays held.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { hostRecord, openAuditLog } from '../../lib/policy/audit-log.js';

const held = vi.hoisted(() => ({ refusals: 0, opens: 0 }));
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: (...args: Parameters<typeof real.open>) => {
      held.opens++;
      if (held.refusals-- > 0)
        return Promise.reject(Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' }));
      return real.open(...args);
    },
  };
});

describe('an audit file held open unshared', () => {
  beforeEach(() => {
    held.opens = 0;
  });
  it('is opened again after 0.1 s, 0.2 s ..., and the record written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ws-audit-')), 'audit.jsonl');
    held.refusals = 3;
    const log = openAuditLog(file);
    await log.write(hostRecord(null, 'start'));
    await log.close();
    expect(held.opens).toBe(4);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ outcome: 'start' });
  });
  it('fails the write with EBUSY when it stays held (six tries over about 3 s)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ws-audit-')), 'audit.jsonl');
    held.refusals = 100;
    const log = openAuditLog(file);
    await expect(log.write(hostRecord(null, 'start'))).rejects.toMatchObject({ code: 'EBUSY' });
    expect(held.opens).toBe(6);
    held.refusals = 0;
  }, 10_000);
});
