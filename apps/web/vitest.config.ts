import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '@': path.join(import.meta.dirname, 'src') } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // One Postgres per vitest run; each test file makes its own database on it.
    globalSetup: [
      '../../packages/db/src/testing/global-setup.ts',
      '../worker/test/build-worker.global.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
