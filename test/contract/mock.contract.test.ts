import { createClient } from '../../lib/client.js';
import { createMockBackend, type MockBackend } from '../../lib/mock/index.js';
import { contractSuite } from './contract-cases.js';
import type { ContractFixture } from './scenario.js';

contractSuite('mock', (): ContractFixture => {
  let mock: MockBackend | undefined;
  return {
    async load(scenario) {
      mock = createMockBackend({
        sessions: scenario.sessions,
        servers: scenario.servers,
        systemSessions: false,
        currentSessionId: scenario.currentSessionId,
        now: () => scenario.now,
        remoteClocks: scenario.remoteClocks,
        processes: scenario.processes,
        events: scenario.events,
        groups: scenario.groups,
        computerName: scenario.computerName,
      });
      for (const { op, errno, ...options } of scenario.failures) mock.fail(op, errno, options);
      for (const { sessionId, answer, ...options } of scenario.answers) mock.answer(sessionId, answer, options);
      return createClient(mock);
    },
    actions: async () => mock!.calls.filter((c) => ['logoff', 'disconnect', 'sendMessage'].includes(c.op)),
  };
});
