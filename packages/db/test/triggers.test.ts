import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatValidationError, parseWorkflowText, type JsonValue } from '@dtss/core';
import {
  createPool,
  createPrismaClient,
  createRun,
  findPendingAfterRunTriggers,
  fireAfterRunTriggers,
  listTriggers,
  type Pool,
  type PrismaClient,
} from '../src';
import { deployWorkflow, driveRun } from './support/workflows';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let teamId: string;

const deploy = (yaml: string) => deployWorkflow(prisma, teamId, yaml);

const drive = (runId: string, outcome: 'succeeded' | 'failed', output?: JsonValue) =>
  driveRun(pool, runId, { outcomeOf: () => outcome, output });

async function downstreamOf(upstreamRunId: string) {
  const { rows } = await pool.query<{
    id: string;
    trigger_kind: string;
    params: Record<string, unknown>;
    idempotency_key: string;
    trigger_id: string;
  }>(
    `SELECT id, trigger_kind, params, idempotency_key, trigger_id FROM workflow_runs
      WHERE upstream_run_id = $1`,
    [upstreamRunId],
  );
  return rows;
}

beforeAll(async () => {
  db = await createTestDatabase('triggers');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { max: 2 });
  teamId = (await prisma.team.create({ data: { slug: 't', name: 'T' } })).id;
  await deploy(`
name: ingest
params:
  day: { type: string, default: today }
tasks:
  load: { kind: noop }
`);
  await deploy(`
name: report
params:
  source_run: { type: string, required: true }
  rows: { type: integer, default: 0 }
  day: { type: string, default: "?" }
tasks:
  a: { kind: noop }
triggers:
  - name: after-ingest
    after: { workflow: ingest, statuses: [succeeded] }
    params:
      source_run: "{{ upstream_run.id }}"
      rows: "{{ upstream_run.outputs.load.rows }}"
      day: "{{ upstream_run.params.day }}"
`);
});
afterAll(async () => {
  await prisma.$disconnect();
  await pool.end();
  await db.drop();
});

describe('after-run (cross-workflow) triggers', () => {
  it('are declared in the workflow file and linked to the upstream workflow', async () => {
    const [t] = await listTriggers(pool, { teamId });
    expect(t).toMatchObject({
      kind: 'workflow_run',
      name: 'after-ingest',
      upstreamWorkflowName: 'ingest',
      upstreamStatuses: ['succeeded'],
    });
  });

  it('start one downstream run with the upstream run id and outputs, once', async () => {
    const { run } = await createRun(pool, {
      teamId,
      workflow: { name: 'ingest' },
      params: { day: '2026-03-01' },
    });
    // Not ended yet: nothing to do.
    expect(await fireAfterRunTriggers(pool, run.id)).toEqual([]);
    await drive(run.id, 'succeeded', { rows: 42 });
    expect(await findPendingAfterRunTriggers(pool)).toContainEqual(
      expect.objectContaining({ upstreamRunId: run.id }),
    );
    const [first] = await fireAfterRunTriggers(pool, run.id);
    expect(first).toMatchObject({ created: true });
    const again = await Promise.all([1, 2].map(() => fireAfterRunTriggers(pool, run.id)));
    expect(again.flat().map((o) => [o.runId, o.created])).toEqual([
      [first!.runId, false],
      [first!.runId, false],
    ]);
    const runs = await downstreamOf(run.id);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      trigger_kind: 'workflow',
      params: { source_run: run.id, rows: 42, day: '2026-03-01' },
      idempotency_key: `after:${run.id}:${runs[0]!.trigger_id}`,
    });
    expect(await findPendingAfterRunTriggers(pool)).not.toContainEqual(
      expect.objectContaining({ upstreamRunId: run.id }),
    );
  });

  it('ignore upstream runs that end with another status', async () => {
    const { run } = await createRun(pool, { teamId, workflow: { name: 'ingest' } });
    await drive(run.id, 'failed');
    expect(await fireAfterRunTriggers(pool, run.id)).toEqual([]);
    expect(await downstreamOf(run.id)).toEqual([]);
  });

  it('are checked when the file is validated', () => {
    const bad = parseWorkflowText(
      `
name: bad
tasks:
  a: { kind: noop }
params:
  x: { type: string, default: "" }
triggers:
  - { after: { workflow: ingest }, event: also }
  - { after: { workflow: ingest, statuses: [done] } }
  - { after: { workflow: ingest }, params: { x: "{{ upstream_run.nope }}" } }
  - { after: { workflow: ingest }, params: { x: "{{ event.payload.id }}" } }
`,
      { format: 'yaml' },
    );
    expect(bad.ok).toBe(false);
    const messages = bad.ok ? [] : bad.errors.map((e) => formatValidationError(e));
    expect(messages.join('\n')).toMatch(/either "event".*or "after"/);
    expect(messages.join('\n')).toMatch(/triggers\[1\]\.after\.statuses/);
    expect(messages.join('\n')).toMatch(/upstream_run has no field "nope"/);
    expect(messages.join('\n')).toMatch(/only upstream_run/);
  });
});
