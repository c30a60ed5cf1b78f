import { defineConfig } from 'vitest/config';

// One vitest run over every workspace (each keeps its own vitest.config.ts), so `npm test` reports
// a single total and all projects share one Postgres.
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'scripts/vitest.config.ts',
    ],
  },
});
