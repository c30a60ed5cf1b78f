// A database with one claimed attempt per call, for the log shipper tests.
import { validateWorkflow } from '@dtss/core';
import {
  claimTask,
  createPool,
  createPrismaClient,
  createRun,
  saveWorkflowVersion,
  type Pool,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';

export interface AttemptIds {
  attemptId: string;
  taskRunId: string;
  runId: string;
}

export interface LogsDb {
  url: string;
  pool: Pool;
  newAttempt(): Promise<AttemptIds>;
  close(): Promise<void>;
}

export async function startLogsDb(label: string): Promise<LogsDb> {
  const db: TestDatabase = await createTestDatabase(label);
  const pool = createPool(db.url, { applicationName: label, max: 4 });
  const prisma = createPrismaClient(db.url, { max: 1 });
  const teamId = (await prisma.team.create({ data: { slug: label, name: label } })).id;
  const checked = validateWorkflow({ name: 'logs', tasks: { t: { kind: 'noop' } } });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  await saveWorkflowVersion(prisma, { teamId, definition: checked.workflow });
  await prisma.$disconnect();
  return {
    url: db.url,
    pool,
    async newAttempt() {
      const { run } = await createRun(pool, { teamId, workflow: { name: 'logs' } });
      const { rows } = await pool.query<{ id: string }>(
        'SELECT id FROM task_runs WHERE run_id = $1',
        [run.id],
      );
      const claimed = await claimTask(pool, rows[0]!.id, null);
      if (!claimed) throw new Error('could not claim the fixture task');
      return { attemptId: claimed.attemptId, taskRunId: claimed.taskRunId, runId: run.id };
    },
    async close() {
      await pool.end();
      await db.drop();
    },
  };
}
