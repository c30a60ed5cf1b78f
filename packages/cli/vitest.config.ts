import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The tests spawn the real `dtss` command, compiled once per run (test/cli-bin.ts); run/status
  // tests get a migrated database per file from @dtss/db/testing.
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: [
      '../db/src/testing/global-setup.ts',
      './test/build-cli.global.ts',
      '../../apps/worker/test/build-worker.global.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
