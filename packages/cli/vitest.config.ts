import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The tests spawn the real `dtss` command; each start loads tsx, so allow a few seconds.
  test: { include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 30_000 },
});
