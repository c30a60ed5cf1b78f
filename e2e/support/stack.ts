/**
 * What the browser tests share with the stack they test (e2e/playwright.config.ts starts it): its
 * database, and the deployment operator it is told about.
 */
import { randomBytes } from 'node:crypto';

/** The e2e database: `dtss_e2e` on the test run's Postgres. */
export function e2eDatabaseUrl(): string {
  const adminUrl = process.env.DTSS_TEST_ADMIN_URL ?? process.env.DATABASE_URL;
  if (!adminUrl)
    throw new Error('e2e needs DTSS_TEST_ADMIN_URL or DATABASE_URL (run it through `npm test`)');
  const u = new URL(adminUrl);
  u.pathname = '/dtss_e2e';
  return u.toString();
}

/**
 * The email of the stack's deployment operator (DTSS_OPERATORS): the one person who may drain
 * workers. New for each run of the suite (a test signs it up), and the same in the runner and its
 * workers: the runner loads the config first and sets it, the workers inherit it.
 */
export function e2eOperatorEmail(): string {
  process.env.DTSS_E2E_OPERATOR ??= `operator-${randomBytes(4).toString('hex')}@e2e.test`;
  return process.env.DTSS_E2E_OPERATOR;
}
