/**
 * listWorkflows, the workflows list page's read model: recent runs, next fire and schedule count
 * per workflow, the tag filter, and the plan that keeps it one cheap statement at scale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPool,
  createPrismaClient,
  listWorkflows,
  type Pool,
  type PrismaClient,
} from '../src';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { deployWorkflow } from './support/workflows';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

const yaml = (name: string, tags: string[]) =>
  `name: ${name}\ntags: [${tags.join(', ')}]\ntasks:\n  a: { kind: noop }\n`;

/** `count` runs of the workflow, run n created n minutes after `start`. */
async function addRuns(workflowId: string, count: number, start = '2026-01-01T00:00:00Z') {
  await pool.query(
    `INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                trigger_kind, created_at)
     SELECT w.team_id, w.id, w.current_version_id, n,
            (ARRAY['succeeded', 'failed', 'running']::"RunStatus"[])[1 + n % 3], 'manual',
            $2::timestamptz + n * interval '1 minute'
       FROM workflows w, generate_series(1, $3::int) n WHERE w.id = $1`,
    [workflowId, start, count],
  );
}

async function addSchedule(workflowId: string, name: string, enabled: boolean, next: string) {
  await pool.query(
    `INSERT INTO schedules (team_id, workflow_id, name, cron, enabled, next_fire_at)
     SELECT team_id, id, $2, '0 3 * * *', $3, $4 FROM workflows WHERE id = $1`,
    [workflowId, name, enabled, next],
  );
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}

beforeAll(async () => {
  db = await createTestDatabase('wflist');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { pool });
  teamId = (await prisma.team.create({ data: { slug: 'list', name: 'List' } })).id;
});
afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

describe('listWorkflows', () => {
  it('gives each workflow its last 10 runs newest first, next fire and schedule count', async () => {
    const alpha = await deployWorkflow(prisma, teamId, yaml('alpha', ['ETL', 'nightly']));
    const beta = await deployWorkflow(prisma, teamId, yaml('beta', ['etl-extra']));
    await addRuns(alpha, 12);
    // Run 13 created in the same millisecond as run 12: the higher number counts as newer.
    await pool.query(
      `INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, trigger_kind,
                                  created_at)
       SELECT team_id, id, current_version_id, 13, 'manual', '2026-01-01T00:12:00Z'
         FROM workflows WHERE id = $1`,
      [alpha],
    );
    await addSchedule(alpha, 'late', true, '2027-01-02T03:00:00Z');
    await addSchedule(alpha, 'early', true, '2027-01-01T03:00:00Z');
    // A disabled schedule's instant never counts, even if one was left behind.
    await addSchedule(alpha, 'off', false, '2026-12-31T03:00:00Z');

    const { items } = await listWorkflows(pool, teamId, { limit: 50 });
    const [a, b] = items;
    expect(items.map((w) => w.name)).toEqual(['alpha', 'beta']);
    expect(a!.recentRuns.map((r) => r.number)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
    expect(a!.recentRuns[1]).toEqual({
      id: expect.any(String),
      number: 12,
      status: 'succeeded',
      createdAt: new Date('2026-01-01T00:12:00Z'),
    });
    expect(a!.lastRun).toEqual(a!.recentRuns[0]);
    expect(a!.nextFireAt).toEqual(new Date('2027-01-01T03:00:00Z'));
    expect(a!.scheduleCount).toBe(3);
    expect(b).toMatchObject({
      id: beta,
      lastRun: null,
      recentRuns: [],
      nextFireAt: null,
      scheduleCount: 0,
    });
  });

  it('filters by exact tag, ignoring case, and still pages by name', async () => {
    const byTag = async (tag: string) =>
      (await listWorkflows(pool, teamId, { tag, limit: 50 })).items.map((w) => w.name);
    expect(await byTag('etl')).toEqual(['alpha']);
    expect(await byTag('NIGHTLY')).toEqual(['alpha']);
    expect(await byTag('etl-Extra')).toEqual(['beta']);
    expect(await byTag('et')).toEqual([]);

    const first = await listWorkflows(pool, teamId, { limit: 1 });
    expect(first).toMatchObject({ items: [{ name: 'alpha' }], nextCursor: 'alpha' });
    const second = await listWorkflows(pool, teamId, { limit: 1, afterName: first.nextCursor });
    expect(second).toMatchObject({ items: [{ name: 'beta' }], nextCursor: null });
  });

  it('reads 10 index entries per workflow of the page, with 200 workflows and 100k runs', async () => {
    const bigTeam = (await prisma.team.create({ data: { slug: 'big', name: 'Big' } })).id;
    await pool.query(
      `WITH w AS (
         INSERT INTO workflows (team_id, name, latest_version_number, next_run_number)
         SELECT $1, 'bulk-' || lpad(i::text, 3, '0'), 1, 501 FROM generate_series(1, 200) i
         RETURNING id)
       INSERT INTO workflow_versions (workflow_id, version, definition, content_hash)
       SELECT id, 1, '{}', 'x' FROM w`,
      [bigTeam],
    );
    await pool.query(
      `UPDATE workflows w SET current_version_id = v.id
         FROM workflow_versions v WHERE v.workflow_id = w.id AND w.team_id = $1`,
      [bigTeam],
    );
    await pool.query(
      `INSERT INTO workflow_runs (team_id, workflow_id, workflow_version_id, number, status,
                                  trigger_kind, created_at)
       SELECT w.team_id, w.id, w.current_version_id, n, 'succeeded', 'manual',
              now() - (500 - n) * interval '1 minute'
         FROM workflows w, generate_series(1, 500) n WHERE w.team_id = $1`,
      [bigTeam],
    );
    await pool.query(
      `INSERT INTO schedules (team_id, workflow_id, name, cron, next_fire_at)
       SELECT team_id, id, 's' || i, '0 * * * *', now() + i * interval '1 hour'
         FROM workflows, generate_series(1, 2) i WHERE team_id = $1`,
      [bigTeam],
    );
    await pool.query('ANALYZE workflows, workflow_versions, workflow_runs, schedules');

    // The statement listWorkflows sends, captured and explained.
    let statement: { sql: string; params: unknown[] } | undefined;
    await listWorkflows(
      {
        query: (async (sql: string, params: unknown[]) => {
          statement = { sql, params };
          return { rows: [] };
        }) as unknown as Pool['query'],
      },
      bigTeam,
      { limit: 200 },
    );
    const { rows } = await pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${statement!.sql}`,
      statement!.params,
    );
    const nodes = planNodes(rows[0]!['QUERY PLAN'][0].Plan);
    const runScans = nodes.filter((n) => n['Relation Name'] === 'workflow_runs');
    expect(runScans.map((n) => [n['Node Type'], n['Index Name']])).toEqual([
      ['Index Scan', 'workflow_runs_workflow_id_created_at_idx'],
    ]);
    // Once per workflow of the page, stopping after the newest runs (one more for the tie-break).
    expect(runScans[0]).toMatchObject({ 'Actual Loops': 200 });
    expect(runScans[0]!['Actual Rows']).toBeLessThanOrEqual(11);

    const started = performance.now();
    const page = await listWorkflows(pool, bigTeam, { limit: 200 });
    const ms = performance.now() - started;
    expect(page.items).toHaveLength(200);
    expect(page.items[0]!.recentRuns.map((r) => r.number)).toEqual([
      500, 499, 498, 497, 496, 495, 494, 493, 492, 491,
    ]);
    expect(page.items[0]!.scheduleCount).toBe(2);
    expect(ms).toBeLessThan(1000);
  });
});
