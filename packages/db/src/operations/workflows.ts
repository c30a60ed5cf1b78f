/**
 * Saving a workflow definition: one transaction that creates the workflow on first save, adds an
 * immutable version when the content changed (and only then), points the workflow at it, and syncs
 * the schedules, triggers and alert rules the file declares. Re-applying identical content changes nothing,
 * except the editor's layout when one is given (it is presentation, not part of the content).
 */
import { createHash } from 'node:crypto';
import { canonicalJson, type NormalizedWorkflow } from '@dtss/core';
import { Prisma, type PrismaClient } from '../client';
import { syncDeclaredAlertRules } from './alerts/rules';
import { SCHEDULER_CHANNEL } from './schedules/notify';
import { computeNextFireAt } from './schedules/recomputeNextFire';
import type { WorkflowLayout } from './workflowQueries';

export interface SaveWorkflowInput {
  teamId: string;
  definition: NormalizedWorkflow;
  createdById?: string | null;
  /** The editor's node positions. Stored with a new version, or written over the current
   * version's when the content is unchanged; omitted, the current version's layout is kept. */
  layout?: WorkflowLayout | null;
}

export interface SaveWorkflowResult {
  workflowId: string;
  versionId: string;
  version: number;
  /** `created`: new workflow; `updated`: new version; `unchanged`: same content as the current version. */
  change: 'created' | 'updated' | 'unchanged';
  /** The given layout was stored (with the new version, or in place on the unchanged one). */
  layoutSaved: boolean;
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

/**
 * The layout entries of tasks the definition has, with nothing but their coordinates: positions of
 * deleted or renamed tasks would otherwise linger in every later save of the editor.
 */
export function layoutForDefinition(
  layout: WorkflowLayout,
  definition: NormalizedWorkflow,
): WorkflowLayout {
  return Object.fromEntries(
    Object.entries(layout)
      .filter(([taskId]) => Object.hasOwn(definition.tasks, taskId))
      .map(([taskId, { x, y }]) => [taskId, { x, y }]),
  );
}

export async function saveWorkflowVersion(
  prisma: PrismaClient,
  input: SaveWorkflowInput,
): Promise<SaveWorkflowResult> {
  const { teamId, definition } = input;
  const contentHash = definitionHash(definition);
  const layout = input.layout ? layoutForDefinition(input.layout, definition) : null;
  return prisma.$transaction(async (tx) => {
    // Two saves of one workflow racing (two `apply`s) take turns, so neither sees a stale version.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`${teamId}/${definition.name}`}, 0))`;
    const existing = await tx.workflow.findUnique({
      where: { teamId_name: { teamId, name: definition.name } },
      include: { currentVersion: { select: { id: true, version: true, contentHash: true } } },
    });
    if (existing?.currentVersion?.contentHash === contentHash && !existing.archivedAt) {
      // Nodes moved, definition untouched: runs pin versions by content, so the layout is written
      // over the current version's rather than making a version nobody could tell apart.
      if (layout) {
        await tx.workflowVersion.update({
          where: { id: existing.currentVersion.id },
          data: { layout },
        });
      }
      return {
        workflowId: existing.id,
        versionId: existing.currentVersion.id,
        version: existing.currentVersion.version,
        change: 'unchanged',
        layoutSaved: layout !== null,
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
        ...(layout ? { layout } : {}),
        createdById: input.createdById ?? null,
      },
    });
    await tx.workflow.update({
      where: { id: workflow.id },
      data: { currentVersionId: version.id },
    });
    await syncDeclaredSchedules(tx, teamId, workflow.id, definition);
    await syncDeclaredTriggers(tx, teamId, workflow.id, definition);
    await syncDeclaredAlertRules(tx, teamId, workflow.id, definition);
    return {
      workflowId: workflow.id,
      versionId: version.id,
      version: version.version,
      change: existing ? 'updated' : 'created',
      layoutSaved: layout !== null,
    };
  });
}

/**
 * Schedules declared in the file are owned by the file (source = definition): kept by name so their
 * fire history survives new versions, removed when the file drops them. UI-made ones are untouched.
 * nextFireAt is computed here (from now for a new or re-timed schedule, from the last fire for a
 * resumed one) and the scheduler leader is woken on commit.
 */
async function syncDeclaredSchedules(
  tx: Prisma.TransactionClient,
  teamId: string,
  workflowId: string,
  definition: NormalizedWorkflow,
): Promise<void> {
  const names = definition.schedules.map((s) => s.name);
  const removed = await tx.schedule.deleteMany({
    where: { workflowId, source: 'definition', name: { notIn: names } },
  });
  let changes = removed.count;
  const now = new Date();
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
    const retimed =
      !current ||
      current.cron !== s.cron ||
      current.timezone !== s.timezone ||
      current.startAt?.toISOString() !== fields.startAt?.toISOString();
    const changed =
      retimed ||
      current.enabled !== s.enabled ||
      current.endAt?.toISOString() !== fields.endAt?.toISOString() ||
      current.nextFireAt === null;
    const nextFireAt = changed
      ? computeNextFireAt({ ...fields, lastFireAt: retimed ? null : current.lastFireAt }, now)
      : undefined;
    await tx.schedule.upsert({
      where: { workflowId_name: { workflowId, name: s.name } },
      create: { teamId, workflowId, name: s.name, source: 'definition', ...fields, nextFireAt },
      update: {
        ...fields,
        source: 'definition',
        ...(changed ? { nextFireAt, ...(nextFireAt ? {} : { bufferedFireAt: null }) } : {}),
      },
    });
    if (changed) changes += 1;
  }
  if (changes > 0) {
    await tx.$executeRaw`SELECT pg_notify(${SCHEDULER_CHANNEL}, ${`workflow:${workflowId}`})`;
  }
}

/**
 * Triggers declared in the file: `event` triggers, and `after` triggers that follow another
 * workflow's runs (resolved by name in the same team; one naming no existing workflow is stored
 * disabled-in-effect with no upstream, and is re-linked when this file is applied again).
 */
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
    // A workflow following its own runs would start itself forever: it is left unlinked.
    const upstream =
      t.after && t.after.workflow !== definition.name
        ? await tx.workflow.findUnique({
            where: { teamId_name: { teamId, name: t.after.workflow } },
            select: { id: true },
          })
        : null;
    const fields = t.after
      ? {
          kind: 'workflow_run' as const,
          eventName: null,
          filter: Prisma.DbNull,
          upstreamWorkflowId: upstream?.id ?? null,
          upstreamStatuses: t.after.statuses,
          paramsMapping: t.params as Prisma.InputJsonValue,
          enabled: t.enabled,
        }
      : {
          kind: 'event' as const,
          eventName: t.event,
          filter: t.filter as Prisma.InputJsonValue,
          upstreamWorkflowId: null,
          upstreamStatuses: [],
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
