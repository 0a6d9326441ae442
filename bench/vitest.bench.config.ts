import { defineConfig } from 'vitest/config';

// npm run bench: not part of npm test. Runs bench/*.run.ts under Wine with the stand-in, one file at a time.
export default defineConfig({
  test: {
    // BENCH_FILE=bench/x.run.ts runs one file (for a quick experiment).
    include: [process.env.BENCH_FILE ?? 'bench/**/*.run.ts'],
    globalSetup: ['bench/global-setup.ts'],
    testTimeout: 1_800_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
