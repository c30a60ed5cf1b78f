/**
 * Scheduler integration harness: real scheduler processes (apps/worker/src/scheduler/main.ts, the
 * entry point production runs) on a test database of their own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { formatValidationError, parseWorkflowText } from '@dtss/core';
import {
  createPool,
  createPrismaClient,
  saveWorkflowVersion,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { workerProcessArgs } from '../compiled-worker';
import { exitOf } from '../spawn-worker';

export type SchedulerProcess = ChildProcess & { output: () => string };

export interface SchedulerTestbed {
  db: TestDatabase;
  pool: Pool;
  prisma: PrismaClient;
  teamId: string;
  deploy(yaml: string): Promise<string>;
  /** Starts one more scheduler process with these extra env vars. */
  startScheduler(env?: NodeJS.ProcessEnv): SchedulerProcess;
  schedulers: SchedulerProcess[];
  /** The process holding the `scheduler` lease now (null when none does). */
  leader(): Promise<{ pid: number; fencingToken: bigint; acquiredAt: Date } | null>;
  output(): string;
  stop(): Promise<void>;
}

export async function startTestbed(label: string): Promise<SchedulerTestbed> {
  const db = await createTestDatabase(`sched_${label}`);
  const pool = createPool(db.url, { applicationName: `scheduler-test:${label}`, max: 6 });
  const prisma = createPrismaClient(db.url, { pool });
  const team = await prisma.team.create({
    data: { slug: `${label}-${randomBytes(3).toString('hex')}`, name: label },
  });
  const schedulers: SchedulerProcess[] = [];
  const bed: SchedulerTestbed = {
    db,
    pool,
    prisma,
    teamId: team.id,
    schedulers,
    async deploy(yaml) {
      const parsed = parseWorkflowText(yaml, { format: 'yaml' });
      if (!parsed.ok)
        throw new Error(parsed.errors.map((e) => formatValidationError(e)).join('\n'));
      return (await saveWorkflowVersion(prisma, { teamId: team.id, definition: parsed.workflow }))
        .workflowId;
    },
    startScheduler(env = {}) {
      const child = spawn(process.execPath, workerProcessArgs('scheduler'), {
        env: { ...process.env, DATABASE_URL: db.url, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const proc = Object.assign(child, { output: () => out });
      schedulers.push(proc);
      return proc;
    },
    async leader() {
      const { rows } = await pool.query<{
        holder_id: string;
        fencing_token: string;
        acquired_at: Date;
      }>(
        `SELECT holder_id, fencing_token, acquired_at FROM leases
          WHERE name = 'scheduler' AND expires_at > now()`,
      );
      const row = rows[0];
      if (!row) return null;
      return {
        pid: Number(row.holder_id.split(':')[1]),
        fencingToken: BigInt(row.fencing_token),
        acquiredAt: row.acquired_at,
      };
    },
    output() {
      return schedulers
        .map(
          (s, i) =>
            `--- scheduler ${i} pid ${s.pid} (exit ${s.exitCode ?? s.signalCode}) ---\n${s.output()}`,
        )
        .join('\n');
    },
    async stop() {
      await Promise.all(
        schedulers.map(async (child) => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
          await exitOf(child);
          clearTimeout(killer);
        }),
      );
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await db.drop();
    },
  };
  return bed;
}

/** Polls `probe` every 50 ms until it returns a truthy value; the error names `what`. */
export async function eventually<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  what: string,
  output: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
