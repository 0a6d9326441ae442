import { afterEach, beforeEach, describe } from 'vitest';
import { disconnectCases } from './cases/disconnect.js';
import { groupTrustCases } from './cases/group-trust.js';
import { hostsCases } from './cases/hosts.js';
import { consoleIdleCases, idleCases } from './cases/idle.js';
import { logoffCases } from './cases/logoff.js';
import { messageCases } from './cases/message.js';
import { policyCases } from './cases/policy.js';
import { processCases } from './cases/processes.js';
import { usageCases } from './cases/usage.js';
import { remoteClockCases } from './cases/remote-clock.js';
import { sessionCases } from './cases/sessions.js';
import { sharedWatchCases, watchCases } from './cases/watch.js';
import { windowsTruthCases } from './cases/windows-truth.js';
import type { ContractContext } from './context.js';
import { baseScenario, type ContractFixture } from './scenario.js';

/**
 * The behaviour every backend must have, run against the mock here and against the native addon (under Wine, with
 * the scripted wtsapi32.dll) by the native suite. Cases are written against the public client only.
 */
export function contractSuite(name: string, fixture: () => ContractFixture): void {
  describe(`contract: ${name}`, () => {
    const ctx = {} as ContractContext;
    ctx.load = async (change) => {
      change?.(ctx.scenario);
      ctx.client = await ctx.fixture.load(ctx.scenario);
    };

    beforeEach(async () => {
      ctx.fixture = fixture();
      ctx.scenario = baseScenario();
      await ctx.load();
    });

    afterEach(async () => {
      await ctx.fixture.verify?.();
    });

    sessionCases(ctx);
    logoffCases(ctx);
    messageCases(ctx);
    disconnectCases(ctx);
    idleCases(ctx);
    consoleIdleCases(ctx);
    processCases(ctx);
    usageCases(ctx);
    watchCases(ctx);
    sharedWatchCases(ctx);
    hostsCases(ctx);
    windowsTruthCases(ctx);
    policyCases(ctx);
    groupTrustCases(ctx);
    remoteClockCases(ctx);
  });
}
