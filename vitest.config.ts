import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 120_000,
    // A stale dist/ stops the run first; then the Wine environment is prepared.
    globalSetup: ['test/helpers/fresh-dist.ts', 'test/native/wine/global-setup.ts'],
  },
});
