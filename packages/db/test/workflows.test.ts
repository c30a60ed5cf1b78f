import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseWorkflowText, type NormalizedWorkflow } from '@dtss/core';
import {
  authenticateApiToken,
  createPool,
  createPrismaClient,
  saveWorkflowVersion,
  type PrismaClient,
} from '../src';
import { DEMO_TEAM_SLUG, seedDemoData } from '../src/setup';
import { createTestDatabase, type TestDatabase } from '../src/testing';
import { verifyPassword } from '../src/auth/password';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');

let db: TestDatabase;
let prisma: PrismaClient;
let teamId: string;

function workflow(yaml: string): NormalizedWorkflow {
  const parsed = parseWorkflowText(yaml, { format: 'yaml' });
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return parsed.workflow;
}

const V1 = `
name: wf
tasks:
  a: { kind: shell, command: echo a }
schedules:
  - name: nightly
    cron: "0 3 * * *"
    timezone: Europe/Berlin
`;
const V2 = `
name: wf
tasks:
  a: { kind: shell, command: echo a }
  b: { kind: shell, command: echo b, needs: [a] }
`;

beforeAll(async () => {
  db = await createTestDatabase('workflows');
  prisma = createPrismaClient(db.url, { max: 4 });
  teamId = (await prisma.team.create({ data: { slug: 't', name: 'T' } })).id;
});
afterAll(async () => {
  await prisma.$disconnect();
  await db.drop();
});

describe('saveWorkflowVersion', () => {
  it('creates, then versions only on change, and syncs declared schedules', async () => {
    const first = await saveWorkflowVersion(prisma, { teamId, definition: workflow(V1) });
    expect(first).toMatchObject({ change: 'created', version: 1 });
    const schedules = await prisma.schedule.findMany({ where: { workflowId: first.workflowId } });
    expect(schedules).toMatchObject([
      { name: 'nightly', cron: '0 3 * * *', timezone: 'Europe/Berlin', source: 'definition' },
    ]);

    const again = await saveWorkflowVersion(prisma, { teamId, definition: workflow(V1) });
    expect(again).toMatchObject({ change: 'unchanged', version: 1, versionId: first.versionId });

    const second = await saveWorkflowVersion(prisma, { teamId, definition: workflow(V2) });
    expect(second).toMatchObject({ change: 'updated', version: 2 });
    expect(await prisma.schedule.count({ where: { workflowId: first.workflowId } })).toBe(0);

    const wf = await prisma.workflow.findUniqueOrThrow({ where: { id: first.workflowId } });
    expect(wf.currentVersionId).toBe(second.versionId);
    // The first version is immutable and still there for runs that pinned it.
    const v1 = await prisma.workflowVersion.findUniqueOrThrow({ where: { id: first.versionId } });
    expect(Object.keys((v1.definition as { tasks: object }).tasks)).toEqual(['a']);
  });

  it('gives concurrent saves of new content distinct version numbers', async () => {
    const defs = [1, 2, 3, 4].map((n) =>
      workflow(`name: racy\ntasks:\n  a: { kind: shell, command: echo ${n} }\n`),
    );
    const results = await Promise.all(
      defs.map((definition) => saveWorkflowVersion(prisma, { teamId, definition })),
    );
    expect(results.map((r) => r.version).sort()).toEqual([1, 2, 3, 4]);
  });
});

describe('saveWorkflowVersion with a layout', () => {
  const LAYOUT_V1 = `
name: drawn
tasks:
  a: { kind: shell, command: echo a }
  b: { kind: shell, command: echo b, needs: [a] }
`;
  const LAYOUT_V2 = `${LAYOUT_V1}  c: { kind: shell, command: echo c, needs: [b] }\n`;
  const layoutOf = async (versionId: string) =>
    (await prisma.workflowVersion.findUniqueOrThrow({ where: { id: versionId } })).layout;

  it('stores the layout with a new version, without entries for unknown tasks', async () => {
    const saved = await saveWorkflowVersion(prisma, {
      teamId,
      definition: workflow(LAYOUT_V1),
      layout: { a: { x: 0, y: 0 }, b: { x: 0, y: 120.5 }, gone: { x: 9, y: 9 } },
    });
    expect(saved).toMatchObject({ change: 'created', version: 1, layoutSaved: true });
    expect(await layoutOf(saved.versionId)).toEqual({ a: { x: 0, y: 0 }, b: { x: 0, y: 120.5 } });
  });

  it('moving nodes only updates the current version in place, and no layout keeps it', async () => {
    const before = await prisma.workflow.findUniqueOrThrow({
      where: { teamId_name: { teamId, name: 'drawn' } },
    });
    const moved = await saveWorkflowVersion(prisma, {
      teamId,
      definition: workflow(LAYOUT_V1),
      layout: { a: { x: -40, y: 10 }, b: { x: 200, y: 300 } },
    });
    expect(moved).toMatchObject({
      change: 'unchanged',
      version: 1,
      versionId: before.currentVersionId,
      layoutSaved: true,
    });
    expect(await prisma.workflowVersion.count({ where: { workflowId: before.id } })).toBe(1);
    expect(await layoutOf(moved.versionId)).toEqual({
      a: { x: -40, y: 10 },
      b: { x: 200, y: 300 },
    });

    // Re-applying the file without a layout (the CLI) leaves the editor's positions alone.
    const cli = await saveWorkflowVersion(prisma, { teamId, definition: workflow(LAYOUT_V1) });
    expect(cli).toMatchObject({ change: 'unchanged', layoutSaved: false });
    expect(await layoutOf(moved.versionId)).toEqual({
      a: { x: -40, y: 10 },
      b: { x: 200, y: 300 },
    });
  });

  it('a changed definition gets a version with its own layout; the old one keeps its own', async () => {
    const v1 = await prisma.workflow.findUniqueOrThrow({
      where: { teamId_name: { teamId, name: 'drawn' } },
    });
    const v2 = await saveWorkflowVersion(prisma, {
      teamId,
      definition: workflow(LAYOUT_V2),
      layout: { a: { x: 1, y: 1 }, b: { x: 2, y: 2 }, c: { x: 3, y: 3 } },
    });
    expect(v2).toMatchObject({ change: 'updated', version: 2, layoutSaved: true });
    expect(await layoutOf(v2.versionId)).toEqual({
      a: { x: 1, y: 1 },
      b: { x: 2, y: 2 },
      c: { x: 3, y: 3 },
    });
    expect(await layoutOf(v1.currentVersionId!)).toEqual({
      a: { x: -40, y: 10 },
      b: { x: 200, y: 300 },
    });

    // Without a layout a new version has none (null), and says so.
    const v3 = await saveWorkflowVersion(prisma, {
      teamId,
      definition: workflow(LAYOUT_V2.replace('echo c', 'echo cc')),
    });
    expect(v3).toMatchObject({ change: 'updated', version: 3, layoutSaved: false });
    expect(await layoutOf(v3.versionId)).toBeNull();
  });
});

describe('seedDemoData', () => {
  it('seeds the demo team, an owner with a hashed password and every example, once', async () => {
    const seedDb = await createTestDatabase('seed');
    try {
      const first = await seedDemoData(seedDb.url, { examplesDir: EXAMPLES });
      expect(first.created).toBe(true);
      if (!first.created) return;
      expect(first.workflows.length).toBeGreaterThanOrEqual(4);

      const p = createPrismaClient(seedDb.url, { max: 2 });
      try {
        const team = await p.team.findUniqueOrThrow({
          where: { slug: DEMO_TEAM_SLUG },
          include: { memberships: { include: { user: true } }, workflows: true },
        });
        expect(team.memberships).toHaveLength(1);
        expect(team.memberships[0]!.role).toBe('owner');
        const hash = team.memberships[0]!.user.passwordHash!;
        expect(hash).not.toContain(first.adminPassword);
        expect(await verifyPassword(first.adminPassword, hash)).toBe(true);
        expect(team.workflows.map((w) => w.name).sort()).toEqual([...first.workflows].sort());
        // The CLI token printed on first start works, as an admin of the demo team.
        const pool = createPool(seedDb.url, { applicationName: 'test' });
        try {
          expect(await authenticateApiToken(pool, first.apiToken)).toMatchObject({
            teamId: team.id,
            role: 'admin',
          });
        } finally {
          await pool.end();
        }

        expect(await seedDemoData(seedDb.url, { examplesDir: EXAMPLES })).toEqual({
          created: false,
        });
        expect(await p.workflow.count()).toBe(first.workflows.length);
      } finally {
        await p.$disconnect();
      }
    } finally {
      await seedDb.drop();
    }
  });
});
