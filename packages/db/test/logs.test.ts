import { validateWorkflow } from '@dtss/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  claimTask,
  createPool,
  createPrismaClient,
  createRun,
  saveWorkflowVersion,
  type Pool,
} from '../src';
import { appendLogChunk, LOG_CHANNEL, readAttemptLog, readRunLog } from '../src/operations/logs';
import { createTestDatabase, type TestDatabase } from '../src/testing';

let db: TestDatabase;
let pool: Pool;
let runId: string;
const attempts: { attemptId: string; taskRunId: string }[] = [];

beforeAll(async () => {
  db = await createTestDatabase('logs');
  pool = createPool(db.url, { applicationName: 'test' });
  const prisma = createPrismaClient(db.url, { max: 1 });
  const teamId = (await prisma.team.create({ data: { slug: 'l', name: 'L' } })).id;
  const checked = validateWorkflow({
    name: 'logs',
    tasks: { a: { kind: 'noop' }, b: { kind: 'noop' } },
  });
  if (!checked.ok) throw new Error(JSON.stringify(checked.errors));
  await saveWorkflowVersion(prisma, { teamId, definition: checked.workflow });
  await prisma.$disconnect();
  runId = (await createRun(pool, { teamId, workflow: { name: 'logs' } })).run.id;
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id FROM task_runs WHERE run_id = $1 ORDER BY task_key',
    [runId],
  );
  for (const row of rows) {
    const c = (await claimTask(pool, row.id, null))!;
    attempts.push({ attemptId: c.attemptId, taskRunId: c.taskRunId });
  }
});
afterAll(async () => {
  await pool.end();
  await db.drop();
});

const t = '2026-01-01T00:00:00.000Z';
function chunk(i: number, seq: number, firstLine: number, lines: string[]) {
  return {
    ...attempts[i]!,
    runId,
    seq,
    firstLine,
    lines,
    meta: lines.map((_, n) => ({ t, s: n % 2 ? ('stderr' as const) : ('stdout' as const) })),
  };
}

describe('log chunks', () => {
  it('appends chunks, notifies in the same statement, reads by attempt and by run', async () => {
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notices: unknown[] = [];
    listener.on('notification', (n) => notices.push(JSON.parse(n.payload!)));
    await listener.query(`LISTEN ${LOG_CHANNEL}`);
    try {
      expect(await appendLogChunk(pool, chunk(0, 0, 0, ['a0', 'a1']))).toBe(true);
      expect(await appendLogChunk(pool, chunk(1, 0, 0, ['b0']))).toBe(true);
      expect(await appendLogChunk(pool, chunk(0, 1, 2, ['a2', '', 'a4']))).toBe(true);
      // A retried insert is a no-op and does not notify again.
      expect(await appendLogChunk(pool, chunk(0, 1, 2, ['a2', '', 'a4']))).toBe(false);
      expect(await appendLogChunk(pool, chunk(0, 2, 5, []))).toBe(false);

      const deadline = Date.now() + 5_000;
      while (notices.length < 3 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      expect(notices).toEqual([
        { runId, ...attempts[0], seq: 0 },
        { runId, ...attempts[1], seq: 0 },
        { runId, ...attempts[0], seq: 1 },
      ]);
    } finally {
      await listener.end();
    }

    const a = await readAttemptLog(pool, attempts[0]!.attemptId);
    expect(a.map((l) => [l.line, l.text, l.stream])).toEqual([
      [0, 'a0', 'stdout'],
      [1, 'a1', 'stderr'],
      [2, 'a2', 'stdout'],
      [3, '', 'stderr'],
      [4, 'a4', 'stdout'],
    ]);
    expect(a[0]!.time).toBe(t);
    const after = await readAttemptLog(pool, attempts[0]!.attemptId, { afterSeq: 0 });
    expect(after.map((l) => l.text)).toEqual(['a2', '', 'a4']);

    const all = await readRunLog(pool, runId);
    expect(all.map((l) => l.text)).toEqual(['a0', 'a1', 'b0', 'a2', '', 'a4']);
    expect(all[2]!.taskRunId).toBe(attempts[1]!.taskRunId);
    const page = await readRunLog(pool, runId, { limit: 1 });
    expect(page.map((l) => l.text)).toEqual(['a0', 'a1']);
    const rest = await readRunLog(pool, runId, { afterId: page.at(-1)!.chunkId });
    expect(rest.map((l) => l.text)).toEqual(['b0', 'a2', '', 'a4']);

    const { rows } = await pool.query<{ bytes: number; line_count: number }>(
      'SELECT bytes, line_count FROM log_chunks WHERE attempt_id = $1 AND seq = 1',
      [attempts[0]!.attemptId],
    );
    expect(rows[0]).toEqual({ bytes: 6, line_count: 3 });
  });

  it('refuses a chunk whose lines and meta disagree', async () => {
    await expect(appendLogChunk(pool, { ...chunk(1, 5, 1, ['x']), meta: [] })).rejects.toThrow(
      /1 lines but 0 metas/,
    );
  });
});
