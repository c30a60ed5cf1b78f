/**
 * Vitest global setup shared by every workspace: reuses the Postgres that `npm test` started
 * (DTSS_TEST_ADMIN_URL), or starts an embedded one for this vitest run alone.
 */
import { rm } from 'node:fs/promises';
import { ADMIN_URL_ENV, ensureTemplate, startTestCluster } from './test-cluster';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env[ADMIN_URL_ENV]) {
    await ensureTemplate(process.env[ADMIN_URL_ENV]);
    return;
  }
  const dataDir = `/tmp/dtss-vitest-pg-${process.pid}`;
  const server = await startTestCluster(dataDir);
  process.env[ADMIN_URL_ENV] = server.adminUrl;
  await ensureTemplate(server.adminUrl);
  return async () => {
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
