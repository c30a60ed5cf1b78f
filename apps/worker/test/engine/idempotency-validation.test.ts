import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRun } from '@dtss/db';
import { lastJobId, startEngine, uniqueName, type Engine } from './harness';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ label: 'idem', workers: 1 });
});
afterAll(async () => {
  await engine?.stop();
});

async function runsOf(workflowId: string): Promise<number> {
  const { rows } = await engine.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM workflow_runs WHERE workflow_id = $1',
    [workflowId],
  );
  return rows[0]!.n;
}

async function refusal(p: Promise<unknown>): Promise<{
  name: string;
  code: string;
  message: string;
  details: { path: string; message: string }[];
}> {
  const err = await p.then(
    () => {
      throw new Error('expected createRun to be refused');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as never;
}

/** Details may name a param as `limit` or `params.limit`; both point at the same field. */
function paramPath(d: { path: string }): string {
  return d.path.replace(/^params\./, '');
}

describe('idempotent run creation', () => {
  it('the same key twice yields one run; created is false the second time', async () => {
    const name = uniqueName('idem');
    const workflowId = await engine.deploy(`
name: ${name}
tasks:
  a: { kind: noop }
`);
    const first = await engine.create(name, {}, { idempotencyKey: 'key-1' });
    const second = await engine.create(name, {}, { idempotencyKey: 'key-1' });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.run.id).toBe(first.run.id);
    expect(second.run.number).toBe(first.run.number);
    expect(first.run.workflowId).toBe(workflowId);
    const other = await engine.create(name, {}, { idempotencyKey: 'key-2' });
    expect(other.created).toBe(true);
    expect(other.run.id).not.toBe(first.run.id);
    expect(await runsOf(workflowId)).toBe(2);
    await engine.waitForRun(first.run.id, 20_000);
  });

  it('the same key concurrently yields one run (also while that run is finishing)', async () => {
    // The noop run ends within milliseconds, so later requests of a round race its completion
    // transaction; several rounds make that overlap likely.
    for (let round = 0; round < 5; round++) {
      const name = uniqueName('idemrace');
      const workflowId = await engine.deploy(`
name: ${name}
tasks:
  a: { kind: noop }
`);
      const results = await Promise.all(
        Array.from({ length: 8 }, () => engine.create(name, {}, { idempotencyKey: 'race' })),
      );
      expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(await runsOf(workflowId)).toBe(1);
      const view = await engine.waitForRun(results[0]!.run.id, 20_000);
      // One run executed once: one task, one attempt.
      expect(view.tasks).toHaveLength(1);
      expect(view.tasks[0]!.attemptHistory.length).toBeLessThanOrEqual(1);
    }
  });

  it('run numbers increase per workflow', async () => {
    const name = uniqueName('numbers');
    await engine.deploy(`
name: ${name}
tasks:
  a: { kind: noop }
`);
    const results = await Promise.all([1, 2, 3, 4].map(() => engine.create(name)));
    expect(results.map((r) => r.run.number).sort()).toEqual([1, 2, 3, 4]);
    for (const r of results) expect(['queued', 'running']).toContain(r.run.status);
  });
});

describe('bad run requests are refused before anything is stored', () => {
  it('unknown workflow, by name and by id', async () => {
    const jobsBefore = await lastJobId(engine.pool);
    const runsBefore = await engine.pool.query('SELECT id FROM workflow_runs');
    const byName = await refusal(engine.create('no-such-workflow'));
    expect(byName).toMatchObject({ name: 'RunRequestError', code: 'unknown_workflow' });
    const byId = await refusal(
      createRun(engine.pool, { teamId: engine.teamId, workflow: { id: randomUUID() } }),
    );
    expect(byId).toMatchObject({ name: 'RunRequestError', code: 'unknown_workflow' });
    // Another team's workflow is unknown too.
    const name = uniqueName('otherteam');
    await engine.deploy(`
name: ${name}
tasks:
  a: { kind: noop }
`);
    const otherTeam = await engine.prisma.team.create({
      data: { slug: `other-${randomUUID().slice(0, 8)}`, name: 'Other' },
    });
    const crossTeam = await refusal(
      createRun(engine.pool, { teamId: otherTeam.id, workflow: { name } }),
    );
    expect(crossTeam).toMatchObject({ code: 'unknown_workflow' });
    const runsAfter = await engine.pool.query('SELECT id FROM workflow_runs');
    expect(runsAfter.rowCount).toBe(runsBefore.rowCount);
    expect(await lastJobId(engine.pool)).toBe(jobsBefore);
  });

  it('params failing the schema: invalid_params with the param path', async () => {
    const name = uniqueName('params');
    const workflowId = await engine.deploy(`
name: ${name}
params:
  limit: { type: integer, minimum: 1 }
  target:
    type: object
    properties:
      region: { type: string, enum: [eu, us] }
tasks:
  a: { kind: noop }
`);
    const jobsBefore = await lastJobId(engine.pool);
    const tooSmall = await refusal(engine.create(name, { limit: 0, target: { region: 'eu' } }));
    expect(tooSmall).toMatchObject({ name: 'RunRequestError', code: 'invalid_params' });
    expect(tooSmall.details.map(paramPath)).toContain('limit');

    const nested = await refusal(engine.create(name, { limit: 3, target: { region: 'mars' } }));
    expect(nested).toMatchObject({ code: 'invalid_params' });
    expect(nested.details.map(paramPath)).toContain('target.region');

    const missing = await refusal(engine.create(name, { target: { region: 'eu' } }));
    expect(missing).toMatchObject({ code: 'invalid_params' });
    expect(missing.details.map(paramPath)).toContain('limit');

    const unknown = await refusal(
      engine.create(name, { limit: 3, target: { region: 'eu' }, surprise: 1 }),
    );
    expect(unknown).toMatchObject({ code: 'invalid_params' });
    expect(unknown.details.map(paramPath)).toContain('surprise');

    expect(await runsOf(workflowId)).toBe(0);
    expect(await lastJobId(engine.pool)).toBe(jobsBefore);

    // The same workflow with good params is accepted (and the defaults/values are stored).
    const ok = await engine.create(name, { limit: 3, target: { region: 'eu' } });
    expect(ok.created).toBe(true);
    expect(await runsOf(workflowId)).toBe(1);
    await engine.waitForRun(ok.run.id, 20_000);
  });

  it('missing secrets: missing_secrets naming the secret', async () => {
    const name = uniqueName('secrets');
    const workflowId = await engine.deploy(`
name: ${name}
tasks:
  a:
    kind: shell
    secrets: { API_TOKEN: the-missing-token }
    command: echo "$API_TOKEN" | wc -c
`);
    const jobsBefore = await lastJobId(engine.pool);
    const err = await refusal(engine.create(name));
    expect(err).toMatchObject({ name: 'RunRequestError', code: 'missing_secrets' });
    expect(`${err.message} ${JSON.stringify(err.details)}`).toContain('the-missing-token');
    expect(await runsOf(workflowId)).toBe(0);
    expect(await lastJobId(engine.pool)).toBe(jobsBefore);
  });
});
