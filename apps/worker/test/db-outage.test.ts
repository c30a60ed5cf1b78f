/**
 * A database outage under a running task: the worker keeps running, the task keeps running, and
 * once the database is back its result and every log line are recorded, in one attempt. The test
 * runs its own Postgres cluster, since it stops it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  ADMIN_URL_ENV,
  ensureTemplate,
  freePort,
  startEmbeddedPostgres,
  type RunningPostgres,
} from '@dtss/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, task, type Engine } from './engine/harness';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'dtss-outage-pg-'));
let port: number;
let server: RunningPostgres;
let engine: Engine;
const sharedAdminUrl = process.env[ADMIN_URL_ENV];

const start = async () => (server = await startEmbeddedPostgres({ dataDir, port }));

beforeAll(async () => {
  port = await freePort();
  await start();
  await ensureTemplate(server.adminUrl);
  // This file's engine lives on the private cluster.
  process.env[ADMIN_URL_ENV] = server.adminUrl;
  engine = await startEngine({ label: 'db_outage', workers: 1 });
}, 120_000);

afterAll(async () => {
  await engine?.stop().catch(() => {});
  await server?.stop().catch(() => {});
  if (sharedAdminUrl) process.env[ADMIN_URL_ENV] = sharedAdminUrl;
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the database goes away for a few seconds while a task runs', () => {
  it('records the task once it is back: one attempt, its result and all its lines', async () => {
    await engine.deploy(`
name: through-outage
tasks:
  talk:
    kind: shell
    command: "for i in 1 2 3 4 5 6 7 8; do echo line $i; sleep 1; done"
`);
    const runId = await engine.run('through-outage');
    await engine.waitForView(
      runId,
      (v) => task(v, 'talk').status === 'running',
      'the task to start',
      15_000,
    );
    await server.stop();
    await new Promise((r) => setTimeout(r, 5_000));
    await start();

    const view = await engine.waitForRun(runId, 60_000);
    expect(view.status).toBe('succeeded');
    const attempts = task(view, 'talk').attemptHistory;
    expect(attempts.map((a) => a.status)).toEqual(['succeeded']);
    const { rows } = await engine.pool.query<{ lines: string[] }>(
      `SELECT array_agg(l ORDER BY c.seq, o) AS lines
         FROM log_chunks c, unnest(string_to_array(c.text, E'\\n')) WITH ORDINALITY AS u(l, o)
        WHERE c.run_id = $1`,
      [runId],
    );
    for (let i = 1; i <= 8; i++) expect(rows[0]!.lines).toContain(`line ${i}`);
    // The worker rode it out: it did not exit (and was not restarted).
    expect(engine.workers[0]!.child.exitCode).toBeNull();
  }, 120_000);
});
