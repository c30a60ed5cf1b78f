/**
 * Saving a workflow definition: one transaction that creates the workflow on first save, adds an
 * immutable version when the content changed (and only then), points the workflow at it, and syncs
 * the schedules and triggers the file declares. Re-applying identical content changes nothing.
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type NormalizedWorkflow } from '@dtss/core';
import type { Prisma, PrismaClient } from '../client';

export interface SaveWorkflowInput {
  teamId: string;
  definition: NormalizedWorkflow;
  createdById?: string | null;
}

export interface SaveWorkflowResult {
  workflowId: string;
  versionId: string;
  version: number;
  /** `created`: new workflow; `updated`: new version; `unchanged`: same content as the current version. */
  change: 'created' | 'updated' | 'unchanged';
}

export function definitionHash(definition: NormalizedWorkflow): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex');
}

const CATCHUP: Record<
  NormalizedWorkflow['schedules'][number]['catchup'],
  'skip' | 'latest' | 'all'
> = {
  none: 'skip',
  latest: 'latest',
  all: 'all',
};

export async function saveWorkflowVersion(
  prisma: PrismaClient,
  input: SaveWorkflowInput,
): Promise<SaveWorkflowResult> {
  const { teamId, definition } = input;
  const contentHash = definitionHash(definition);
  return prisma.$transaction(async (tx) => {
    // Two saves of one workflow racing (two `apply`s) take turns, so neither sees a stale version.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${teamId}/${definition.name}`}, 0))`;
    const existing = await tx.workflow.findUnique({
      where: { teamId_name: { teamId, name: definition.name } },
      include: { currentVersion: { select: { id: true, version: true, contentHash: true } } },
    });
    if (existing?.currentVersion?.contentHash === contentHash && !existing.archivedAt) {
      return {
        workflowId: existing.id,
        versionId: existing.currentVersion.id,
        version: existing.currentVersion.version,
        change: 'unchanged',
      };
    }
    const workflow = await tx.workflow.upsert({
      where: { teamId_name: { teamId, name: definition.name } },
      create: {
        teamId,
        name: definition.name,
        description: definition.description,
        tags: definition.tags,
        createdById: input.createdById ?? null,
        latestVersionNumber: 1,
      },
      update: {
        description: definition.description,
        tags: definition.tags,
        archivedAt: null,
        latestVersionNumber: { increment: 1 },
      },
    });
    const version = await tx.workflowVersion.create({
      data: {
        workflowId: workflow.id,
        version: workflow.latestVersionNumber,
        definition: definition as unknown as Prisma.InputJsonValue,
        contentHash,
        createdById: input.createdById ?? null,
      },
    });
    await tx.workflow.update({
      where: { id: workflow.id },
      data: { currentVersionId: version.id },
    });
    await syncDeclaredSchedules(tx, teamId, workflow.id, definition);
    await syncDeclaredTriggers(tx, teamId, workflow.id, definition);
    return {
      workflowId: workflow.id,
      versionId: version.id,
      version: version.version,
      change: existing ? 'updated' : 'created',
    };
  });
}

/**
 * Schedules declared in the file are owned by the file (source = definition): kept by name so their
 * fire history survives new versions, removed when the file drops them. UI-made ones are untouched.
 * `nextFireAt` is left to the scheduler, which recomputes it when a schedule changes.
 */
async function syncDeclaredSchedules(
  tx: Prisma.TransactionClient,
  teamId: string,
  workflowId: string,
  definition: NormalizedWorkflow,
): Promise<void> {
  const names = definition.schedules.map((s) => s.name);
  await tx.schedule.deleteMany({
    where: { workflowId, source: 'definition', name: { notIn: names } },
  });
  for (const s of definition.schedules) {
    const fields = {
      cron: s.cron,
      timezone: s.timezone,
      params: s.params as Prisma.InputJsonValue,
      enabled: s.enabled,
      catchupPolicy: CATCHUP[s.catchup],
      catchupWindowMs: s.catchupWindowMs,
      overlapPolicy: s.overlap,
      jitterMs: s.jitterMs,
      startAt: s.startAt ? new Date(s.startAt) : null,
      endAt: s.endAt ? new Date(s.endAt) : null,
    };
    const current = await tx.schedule.findUnique({
      where: { workflowId_name: { workflowId, name: s.name } },
    });
    const changed =
      !current ||
      current.cron !== s.cron ||
      current.timezone !== s.timezone ||
      current.enabled !== s.enabled ||
      current.startAt?.toISOString() !== fields.startAt?.toISOString() ||
      current.endAt?.toISOString() !== fields.endAt?.toISOString();
    await tx.schedule.upsert({
      where: { workflowId_name: { workflowId, name: s.name } },
      create: { teamId, workflowId, name: s.name, source: 'definition', ...fields },
      update: { ...fields, source: 'definition', ...(changed ? { nextFireAt: null } : {}) },
    });
  }
}

async function syncDeclaredTriggers(
  tx: Prisma.TransactionClient,
  teamId: string,
  workflowId: string,
  definition: NormalizedWorkflow,
): Promise<void> {
  const names = definition.triggers.map((t) => t.name);
  await tx.trigger.deleteMany({
    where: { workflowId, source: 'definition', name: { notIn: names } },
  });
  for (const t of definition.triggers) {
    const fields = {
      kind: 'event' as const,
      eventName: t.event,
      filter: t.filter as Prisma.InputJsonValue,
      paramsMapping: t.params as Prisma.InputJsonValue,
      enabled: t.enabled,
    };
    await tx.trigger.upsert({
      where: { workflowId_name: { workflowId, name: t.name } },
      create: { teamId, workflowId, name: t.name, source: 'definition', ...fields },
      update: { ...fields, source: 'definition' },
    });
  }
}
