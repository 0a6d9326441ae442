// The cases that need a real Windows: run by the Windows CI jobs with node:test (so Node 18 runs them too),
// against the addon built by node-gyp, or with WINDOWS_SESSIONS_PREBUILDS_ONLY=1 against the prebuild alone.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  createNativeBackend,
  currentSessionId,
  getSession,
  listSessions,
  logoff,
  SessionRefusedError,
  WtsError,
} from '../../dist/index.js';

const windows = process.platform === 'win32';

/** The session of this process as tasklist (an independent source) reports it. */
function sessionFromTasklist() {
  const csv = execFileSync('tasklist', ['/fi', `PID eq ${process.pid}`, '/fo', 'csv', '/nh'], { encoding: 'utf8' });
  return Number(csv.trim().split('","')[3]);
}

test(
  'only the prebuild is present when asked for',
  { skip: !windows || !process.env.WINDOWS_SESSIONS_PREBUILDS_ONLY },
  () => {
    assert.equal(existsSync(new URL('../../build', import.meta.url)), false);
    assert.equal(
      existsSync(new URL(`../../prebuilds/win32-${process.arch}/windows-sessions.node`, import.meta.url)),
      true,
    );
  },
);

test('currentSessionId() is the session tasklist reports for this process', { skip: !windows }, async () => {
  assert.equal(await currentSessionId(), sessionFromTasklist());
});

test("the caller's session is listed and marked isCurrent", { skip: !windows }, async () => {
  const id = await currentSessionId();
  const sessions = await listSessions();
  const mine = sessions.filter((s) => s.isCurrent);
  assert.deepEqual(
    mine.map((s) => s.id),
    [id],
  );
  const again = await getSession(id);
  assert.equal(again?.id, id);
  assert.equal(again?.isCurrent, true);
  for (const s of sessions) {
    assert.equal(typeof s.stationName, 'string');
    assert.ok(s.logonTime === null || s.logonTime instanceof Date);
  }
});

test('logoff of a session id that does not exist rejects, and signs nobody out', { skip: !windows }, async () => {
  const ids = new Set((await listSessions()).map((s) => s.id));
  let unused = 4242;
  while (ids.has(unused)) unused++;
  await assert.rejects(logoff(unused), (e) => e instanceof SessionRefusedError && e.code === 'ERR_SESSION_NOT_FOUND');
  await assert.rejects(
    createNativeBackend().logoff(unused, false, null),
    (e) => e instanceof WtsError && typeof e.errno === 'number' && e.syscall === 'WTSLogoffSession',
  );
  assert.deepEqual(new Set((await listSessions()).map((s) => s.id)), ids);
});
