import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type SessionsClient } from '../../lib/client.js';
import { WtsError } from '../../lib/errors.js';
import { baseScenario } from '../contract/scenario.js';
import { readStandinStats, writeStandinScenario, type StandinRule } from './wine/standin-scenario.js';
import { useWine } from './wine/use-wine.js';
import { WindowsNode } from './wine/windows-node.js';

const wine = useWine();

const ERRORS = [
  [5, 'ERROR_ACCESS_DENIED'],
  [1722, 'RPC_S_SERVER_UNAVAILABLE'],
  [8, 'ERROR_NOT_ENOUGH_MEMORY'],
  [120, 'ERROR_CALL_NOT_IMPLEMENTED'],
] as const;

/** The WTSQuerySessionInformationW calls one listing of the base scenario makes (see the call-count test). */
function queriesPerListing(): number {
  const known = (station: string) =>
    ['Console', 'Services', 'RDP-Tcp'].includes(station) || station.startsWith('RDP-Tcp#');
  return baseScenario().sessions.reduce(
    (n, s) => n + 1 + (known(s.stationName) ? 0 : 1) + (s.protocol === 'console' ? 0 : 1),
    0,
  );
}

interface Case {
  name: string;
  rule: Omit<StandinRule, 'errno'>;
  run: (client: SessionsClient) => Promise<unknown>;
  syscall: string;
}

const q = queriesPerListing();
const CASES: Case[] = [
  {
    name: 'WTSEnumerateSessionsW',
    rule: { fn: 'WTSEnumerateSessionsW' },
    run: (c) => c.listSessions(),
    syscall: 'WTSEnumerateSessionsW',
  },
  ...[1, Math.ceil(q / 2), q].map((nth, i): Case => ({
    name: `WTSQuerySessionInformationW, ${['first', 'middle', 'last'][i]} call of the listing (${nth} of ${q})`,
    rule: { fn: 'WTSQuerySessionInformationW', nth },
    run: (c) => c.listSessions(),
    syscall: 'WTSQuerySessionInformationW',
  })),
  {
    name: 'WTSOpenServerW',
    rule: { fn: 'WTSOpenServerW' },
    run: (c) => c.listSessions({ server: 'ts01.contoso.test' }),
    syscall: 'WTSOpenServerW',
  },
  {
    name: 'WTSQuerySessionInformationW in getSession',
    rule: { fn: 'WTSQuerySessionInformationW' },
    run: (c) => c.getSession(2),
    syscall: 'WTSQuerySessionInformationW',
  },
  { name: 'WTSLogoffSession', rule: { fn: 'WTSLogoffSession' }, run: (c) => c.logoff(2), syscall: 'WTSLogoffSession' },
  {
    name: 'WTSDisconnectSession',
    rule: { fn: 'WTSDisconnectSession' },
    run: (c) => c.disconnect(2),
    syscall: 'WTSDisconnectSession',
  },
  {
    name: 'WTSSendMessageW',
    rule: { fn: 'WTSSendMessageW' },
    run: (c) => c.sendMessage(2, { message: 'hi' }),
    syscall: 'WTSSendMessageW',
  },
  {
    name: 'WTSEnumerateProcessesW',
    rule: { fn: 'WTSEnumerateProcessesW' },
    run: (c) => c.listProcesses(),
    syscall: 'WTSEnumerateProcessesW',
  },
  {
    name: 'WTSWaitSystemEvent',
    rule: { fn: 'WTSWaitSystemEvent' },
    run: async (c) => {
      // The first wait fails: the loop body never runs.
      for await (const event of c.watchSessions()) return event;
    },
    syscall: 'WTSWaitSystemEvent',
  },
];

describe.runIf(wine)('fault injection: every WTS function the addon calls, failing with each error', () => {
  let windows: WindowsNode;
  beforeAll(async () => {
    windows = await WindowsNode.start(wine!);
  });
  afterAll(async () => {
    expect(await windows.stop()).toBe(0);
  });

  for (const c of CASES) {
    for (const [errno, code] of ERRORS) {
      it(`${c.name}: ${code} gives a clear error, no leaked buffer, no open handle`, async () => {
        rmSync(join(windows.standinDir, 'calls.log'), { force: true });
        const scenario = baseScenario();
        writeStandinScenario(windows.standinDir, scenario, { rules: [{ ...c.rule, errno, times: 1 }] });
        const client = createClient(windows.backend());
        const error = await c.run(client).then(
          () => expect.fail('expected the injected failure'),
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WtsError);
        expect(error).toMatchObject({ code, errno, syscall: c.syscall });
        const stats = readStandinStats(windows.standinDir);
        expect({
          allocs: stats.allocs,
          handles: stats.handles,
          badFrees: stats.badFrees,
          badHandles: stats.badHandles,
        }).toEqual({
          allocs: 0,
          handles: 0,
          badFrees: 0,
          badHandles: 0,
        });
      });
    }
  }
});
