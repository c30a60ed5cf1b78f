// A completion costs the task's out-degree, not the size of its run: the one-statement completion,
// run as the generic plan a worker uses, reads as many pages in a run of 3,000 tasks as in a run
// of 3. (A generic plan knows neither the run's size nor the batch's; joined on run_id it may scan
// the whole run once per completion.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimTasks,
  createPool,
  createPrismaClient,
  createRun,
  type Pool,
  type PrismaClient,
} from '../src';
import { completeInOneStatement } from '../src/operations/runs/oneStatementCompletion';
import { closeRow, queuedTaskIds } from './support/attempts';
import { deployWorkflow } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

const WIDE = 3_000;

function workflowYaml(name: string, extra: number): string {
  const lines = [
    `name: ${name}`,
    'tasks:',
    '  head: { kind: noop }',
    '  tail: { kind: noop, needs: [head] }',
  ];
  for (let i = 0; i < extra; i++) lines.push(`  t${i}: { kind: noop }`);
  return lines.join('\n');
}

beforeAll(async () => {
  db = await createTestDatabase('completion_cost');
  // One connection, planned once like a worker's (plan_cache_mode = force_generic_plan).
  pool = createPool(db.url, { applicationName: 'test', genericPlans: true, max: 1 });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 'cost', name: 'Cost' } })).id;
  await deployWorkflow(prisma, teamId, workflowYaml('small', 1));
  await deployWorkflow(prisma, teamId, workflowYaml('wide', WIDE));
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

/** Pages the completion of `head` reads, from EXPLAIN (ANALYZE, BUFFERS) of the prepared plan. */
async function pagesToCompleteHead(workflow: string): Promise<number> {
  const { run } = await createRun(pool, { teamId, workflow: { name: workflow } });
  // Every task of the run is started (as under load), so a scan of the run's tasks would be seen.
  const claimed = await claimTasks(pool, await queuedTaskIds(pool, run.id), null);
  const head = claimed.find((c) => c.taskKey === 'head')!;
  await pool.query('ANALYZE task_runs, task_attempts, workflow_runs');
  // Prepares the statement on this connection (another task of the run), then explains it.
  const other = claimed.find((c) => c.taskKey !== 'head' && c.taskKey !== 'tail')!;
  await completeInOneStatement(pool, run.id, [closeRow(other)], {
    deferTaskNotices: true,
  });
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const json = JSON.stringify([closeRow(head)]).replaceAll("'", "''");
    const { rows: plan } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) EXECUTE dtss_complete_attempts_deferred('${run.id}', '${json}')`,
    );
    const top = plan[0]!['QUERY PLAN'][0].Plan;
    // graphile-worker's add_jobs (enqueueing `tail`) is the queue's own cost, as in the baseline.
    return pages(top) - enqueuePages(top);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

interface PlanNode {
  'Node Type': string;
  'Function Name'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

const pages = (n: PlanNode) => n['Shared Hit Blocks'] + n['Shared Read Blocks'];

function enqueuePages(n: PlanNode): number {
  if (n['Node Type'] === 'Function Scan' && n['Function Name'] === 'add_jobs') return pages(n);
  return (n.Plans ?? []).reduce((sum, child) => sum + enqueuePages(child), 0);
}

describe('completion cost', () => {
  it('reads no more pages in a run of 3,000 tasks than in a run of 3', async () => {
    const small = await pagesToCompleteHead('small');
    const wide = await pagesToCompleteHead('wide');
    // The wide run's task rows span ~100 pages; deeper indexes cost a few pages more per write.
    expect(small).toBeGreaterThan(0);
    expect(wide).toBeLessThanOrEqual(small + 25);
  });
});

/** Updates of task_runs so far, and how many of them were in place (HOT), as this session counts. */
async function taskRowUpdates(): Promise<{ all: number; hot: number }> {
  const client = await pool.connect();
  try {
    // This backend's pending counters, published and read fresh.
    await client.query('SELECT pg_stat_force_next_flush()');
    await client.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await client.query<{ all: string; hot: string }>(
      `SELECT n_tup_upd AS all, n_tup_hot_upd AS hot FROM pg_stat_user_tables
        WHERE relname = 'task_runs'`,
    );
    return { all: Number(rows[0]!.all), hot: Number(rows[0]!.hot) };
  } finally {
    client.release();
  }
}

describe('task row updates', () => {
  it('claiming and completing update a task row in place (no index mentions what they change)', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'wide' } });
    const ids = (await queuedTaskIds(pool, run.id)).slice(0, 200);
    const before = await taskRowUpdates();
    const claimed = await claimTasks(pool, ids, null, { firstDelivery: true });
    expect(claimed).toHaveLength(200);
    // Leaves only (the wide workflow's t*): each completion updates just its own row.
    const leaves = claimed.filter((c) => c.leaf);
    const done = await completeInOneStatement(
      pool,
      run.id,
      leaves.map((c) => closeRow(c)),
      {
        deferTaskNotices: true,
        leavesOnly: true,
      },
    );
    expect(done?.ended.size).toBe(leaves.length);
    const after = await taskRowUpdates();
    const updates = after.all - before.all;
    expect(updates).toBe(claimed.length + leaves.length);
    // Every row of a page may change in one batch: the fillfactor (40) leaves room for all their new
    // versions (here: all 400 in place; an index on status made it 0).
    expect(after.hot - before.hot).toBeGreaterThanOrEqual(Math.floor(updates * 0.95));
  });
});
