import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type RunningPostgres } from '../src/postgres/embedded';
import { freePort } from '../src/testing/test-cluster';

const dataDir = path.join(
  process.env.TMPDIR ?? '/tmp',
  `dtss-restart-pg-${process.pid}-${Date.now()}`,
);
let live: RunningPostgres | undefined;
// Durable settings (the test cluster's own trade durability for speed): a commit must survive.
const start = async () => (live = await startEmbeddedPostgres({ dataDir, port: await freePort() }));

afterAll(async () => {
  await live?.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('the embedded Postgres', () => {
  it('tells when its server dies by itself, and starts again on the same data', async () => {
    const first = await start();
    await query(first.adminUrl, `CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)`);

    const postmaster = Number(
      readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0],
    );
    process.kill(postmaster, 'SIGKILL');
    await first.died; // the test's own timeout bounds the wait

    const second = await start();
    expect(await query(second.adminUrl, `SELECT v FROM kept`)).toEqual([{ v: 42 }]);
  }, 60_000);

  it('does not call a stop it asked for a death', async () => {
    const server = live!;
    await server.stop();
    const outcome = await Promise.race([
      server.died.then(() => 'died'),
      new Promise((r) => setTimeout(() => r('quiet'), 2_500)),
    ]);
    expect(outcome).toBe('quiet');
  });
});
