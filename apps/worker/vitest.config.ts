import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Worker and scheduler processes run compiled, built once per run (test/compiled-worker.ts).
    globalSetup: ['../../packages/db/src/testing/global-setup.ts', './test/build-worker.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
