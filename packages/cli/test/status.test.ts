// `dtss status` end to end: the real CLI process reading runs from a real test database.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflowText } from '@dtss/core';
import {
  createPool,
  createPrismaClient,
  createRun,
  getRun,
  saveWorkflowVersion,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(cliDir, 'bin', 'dtss.js');

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let runId: string;

function dtss(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, DATABASE_URL: db.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  db = await createTestDatabase('cli_status');
  pool = createPool(db.url, { applicationName: 'cli-status-test', max: 4 });
  prisma = createPrismaClient(db.url, { pool });
  const team = await prisma.team.create({ data: { slug: 'demo', name: 'Demo' } });
  const parsed = parseWorkflowText(
    [
      'name: cli-status',
      'params:',
      '  day: { type: string, default: monday }',
      'tasks:',
      '  extract: { kind: shell, command: echo hi }',
      '  load: { kind: shell, needs: [extract], command: echo loaded }',
      '',
    ].join('\n'),
    { format: 'yaml' },
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  await saveWorkflowVersion(prisma, { teamId: team.id, definition: parsed.workflow });
  // No workers in this file: the run stays as createRun left it (extract queued, load pending).
  const created = await createRun(pool, {
    teamId: team.id,
    workflow: { name: 'cli-status' },
    triggerKind: 'manual',
  });
  runId = created.run.id;
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

describe('dtss status', () => {
  it('prints the RunView as JSON, exactly as getRun returns it', async () => {
    const run = await dtss(['status', runId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const view = await getRun(pool, runId);
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(view)));
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: runId,
      number: 1,
      workflowName: 'cli-status',
      createdAt: view!.createdAt.toISOString(),
    });
  });

  it('prints a header and a table of tasks', async () => {
    const run = await dtss(['status', runId]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`run ${runId} (#1)`);
    expect(lines).toContain('  workflow  cli-status (version 1)');
    expect(lines).toContain('  trigger   manual');
    expect(lines).toContain('  params    {"day":"monday"}');
    expect(lines.some((l) => /^ {2}status {4}(queued|running)$/.test(l))).toBe(true);
    expect(lines.some((l) => /^ {2}created {3}\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(l))).toBe(
      true,
    );
    const header = lines.findIndex((l) => l.startsWith('TASK'));
    expect(lines[header]).toMatch(
      /^TASK +STATUS +ATTEMPTS +STARTED +DURATION +EXIT\/ERROR +OUTPUT$/,
    );
    expect(lines[header + 1]).toMatch(/^extract +(queued|running|succeeded) +\d\/\d+ /);
    expect(lines[header + 2]).toMatch(/^load +pending +0\/\d+ +- +- +-$/);
  });

  it('says "no run <id>" and exits 1 for an unknown or malformed id', async () => {
    const unknown = randomUUID();
    expect(await dtss(['status', unknown])).toEqual({
      code: 1,
      stdout: '',
      stderr: `error: no run ${unknown}\n`,
    });
    const malformed = await dtss(['status', 'not-a-run', '--json']);
    expect(malformed).toEqual({ code: 1, stdout: '', stderr: 'error: no run not-a-run\n' });
  });
});
