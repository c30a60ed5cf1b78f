import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { e2eDatabaseUrl, e2eOperatorEmail } from './support/stack';

// The whole system under test is started exactly as a user would (`npm start`'s script), on its own
// database of the test run's Postgres and its own ports.
const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.DTSS_E2E_PORT ?? 3100);
const databaseUrl = e2eDatabaseUrl();

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['json']],
  outputDir: path.join(root, '.dtss/test-results/e2e'),
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `${process.execPath} scripts/start.mjs`,
    cwd: root,
    url: `http://127.0.0.1:${port}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
    env: {
      DATABASE_URL: databaseUrl,
      DTSS_WEB_PORT: String(port),
      // Metrics ports apart from a developer's `npm start` (9464 on).
      DTSS_METRICS_BASE_PORT: process.env.DTSS_E2E_METRICS_PORT ?? '9564',
      DTSS_HOME: path.join(root, '.dtss/e2e-home'),
      NEXT_TELEMETRY_DISABLED: '1',
      // Every test signs up its own users from 127.0.0.1: more than the default 10 an hour.
      DTSS_SIGNUPS_PER_HOUR: '1000',
      // The deployment operator, whom e2e/workers.spec.ts signs up to drain a worker (the demo
      // admin, the operator of `npm start`, never signs in here: its password is shown once).
      DTSS_OPERATORS: e2eOperatorEmail(),
    },
  },
});
