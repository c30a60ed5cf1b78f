import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The tests spawn the real `dtss` command; each start loads tsx, so allow a few seconds.
  // run/status tests get a migrated database per file from @dtss/db/testing.
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['../db/src/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
