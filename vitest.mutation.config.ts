import { defineConfig } from 'vitest/config';

// npm run mutation (StrykerJS): the suites that exercise lib/ in this process, on the mock. The native suites run
// a built copy inside Windows node.exe and the CLI suites spawn dist/, so a mutant of lib/ never reaches them.
export default defineConfig({
  test: {
    include: [
      'test/unit/**/*.test.ts',
      'test/contract/mock.contract.test.ts',
      'test/property/api.property.test.ts',
      'test/property/policy.property.test.ts',
    ],
    testTimeout: 20_000,
  },
});
