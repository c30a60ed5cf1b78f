// Upgrading a database with work in flight loses nothing: an attempt open when the migrations that
// move open attempts onto their tasks run (20261126133905_attempt_row_at_end) is still the open
// attempt afterwards, and a running task of a limited pool still holds its slot
// (20261126140807_hot_task_rows).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, readMigrationFiles } from '../src/migrate';
import { ADMIN_URL_ENV } from '../src/testing';

const FIRST_NEW = '20261126133905_attempt_row_at_end';
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function emptyDatabase(): Promise<string> {
  const admin = process.env[ADMIN_URL_ENV]!;
  const name = `t_upgrade_${randomBytes(4).toString('hex')}`;
  await withClient(admin, (c) => c.query(`CREATE DATABASE "${name}"`));
  cleanups.push(() =>
    withClient(admin, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
      () => {},
    ),
  );
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The repository's migrations before FIRST_NEW, as a folder of their own. */
function migrationsBefore(name: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dtss-upgrade-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(path.join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  for (const m of readMigrationFiles().filter((m) => m.name < name)) {
    mkdirSync(path.join(dir, m.name));
    writeFileSync(path.join(dir, m.name, 'migration.sql'), m.sql);
  }
  return dir;
}

describe('upgrading with attempts in flight', () => {
  it('moves open attempts onto their tasks, keeps ended ones, and keeps busy pool slots', async () => {
    const url = await emptyDatabase();
    await applyMigrations(url, { migrationsDir: migrationsBefore(FIRST_NEW) });
    const ids = await withClient(url, async (c) => {
      const one = async (sql: string, params: unknown[] = []) =>
        (await c.query<{ id: string }>(sql, params)).rows[0]!.id;
      const team = await one(`INSERT INTO teams (slug, name) VALUES ('t', 'T') RETURNING id`);
      const wf = await one(`INSERT INTO workflows (team_id, name) VALUES ($1, 'w') RETURNING id`, [
        team,
      ]);
      const version = await one(
        `INSERT INTO workflow_versions (workflow_id, version, definition, content_hash)
         VALUES ($1, 1, '{}', 'h') RETURNING id`,
        [wf],
      );
      const run = await one(
        `INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                    trigger_kind)
         VALUES ($1, $2, $3, 1, 'running', 'manual') RETURNING id`,
        [team, wf, version],
      );
      const task = await one(
        `INSERT INTO task_runs (run_id, task_key, kind, pool, status, attempt_count)
         VALUES ($1, 'gpu-task', 'shell', 'gpu', 'running', 2) RETURNING id`,
        [run],
      );
      const worker = await one(
        `INSERT INTO workers (name, hostname, pid, version, concurrency)
         VALUES ('w', 'h', 1, 't', 1) RETURNING id`,
      );
      const ended = await one(
        `INSERT INTO task_attempts (task_run_id, run_id, attempt_number, worker_id, status,
                                    finished_at, exit_code)
         VALUES ($1, $2, 1, $3, 'failed', now(), 3) RETURNING id`,
        [task, run, worker],
      );
      const open = await one(
        `INSERT INTO task_attempts (task_run_id, run_id, attempt_number, worker_id, status)
         VALUES ($1, $2, 2, $3, 'running') RETURNING id`,
        [task, run, worker],
      );
      await c.query(`INSERT INTO pools (name, slots) VALUES ('gpu', 1)`);
      return { task, worker, ended, open };
    });

    await applyMigrations(url);

    await withClient(url, async (c) => {
      const task = await c.query(
        `SELECT attempt_id, worker_id, attempt_started_at IS NOT NULL AS started FROM task_runs`,
      );
      expect(task.rows).toEqual([{ attempt_id: ids.open, worker_id: ids.worker, started: true }]);
      const rows = await c.query(`SELECT id, status FROM task_attempts ORDER BY attempt_number`);
      expect(rows.rows).toEqual([{ id: ids.ended, status: 'failed' }]);
      const all = await c.query(
        `SELECT id, attempt_number, status, worker_id FROM task_attempts_all
          WHERE task_run_id = $1 ORDER BY attempt_number`,
        [ids.task],
      );
      expect(all.rows).toEqual([
        { id: ids.ended, attempt_number: 1, status: 'failed', worker_id: ids.worker },
        { id: ids.open, attempt_number: 2, status: 'running', worker_id: ids.worker },
      ]);
      const leases = await c.query(`SELECT task_run_id, pool, attempt_id FROM pool_leases`);
      expect(leases.rows).toEqual([{ task_run_id: ids.task, pool: 'gpu', attempt_id: ids.open }]);
    });
  });
});
