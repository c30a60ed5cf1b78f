/**
 * Reading workflows and their versions for the API, always within one team: a workflow or version
 * of another team is simply not found.
 */
import type { NormalizedWorkflow } from '@dtss/core';
import type { Pool } from '../pool';
import type { RunStatus } from './runs/types';

type Queryable = Pick<Pool, 'query'>;

/** Where the web editor placed each task of a version (`{ "<taskId>": { x, y } }`). */
export type WorkflowLayout = Record<string, { x: number; y: number }>;

export interface RunSummary {
  id: string;
  number: number;
  status: RunStatus;
  createdAt: Date;
}

/** Runs each list item carries (the list page's status strip). */
export const RECENT_RUNS = 10;

export interface WorkflowListItem {
  id: string;
  name: string;
  description: string | null;
  tags: string[];
  paused: boolean;
  archivedAt: Date | null;
  currentVersion: number | null;
  updatedAt: Date;
  /** The newest run (the first of recentRuns). */
  lastRun: RunSummary | null;
  /** The last RECENT_RUNS runs, newest first. */
  recentRuns: RunSummary[];
  /** The earliest next fire of the workflow's enabled schedules (a paused workflow's too). */
  nextFireAt: Date | null;
  /** Schedules of the workflow, enabled or not. */
  scheduleCount: number;
}

/**
 * One page of a team's workflows by name, each with its recent runs and schedule summary, in one
 * statement. The page is chosen first (index workflows(team_id, name)) so the per-workflow lookups
 * run for its rows only: the runs through workflow_runs(workflow_id, created_at DESC), reading at
 * most RECENT_RUNS index entries each however many runs there are; the schedules through
 * schedules(workflow_id, name).
 */
export async function listWorkflows(
  db: Queryable,
  teamId: string,
  opts: {
    search?: string | null;
    /** Exact tag, case-insensitive. */
    tag?: string | null;
    includeArchived?: boolean;
    limit: number;
    afterName?: string | null;
  },
): Promise<{ items: WorkflowListItem[]; nextCursor: string | null }> {
  type Row = Omit<WorkflowListItem, 'lastRun' | 'recentRuns'> & {
    recentRuns: (Omit<RunSummary, 'createdAt'> & { createdAt: string })[];
  };
  const { rows } = await db.query<Row>(
    `SELECT w.id, w.name, w.description, w.tags, w.paused, w.archived_at AS "archivedAt",
            v.version AS "currentVersion", w.updated_at AS "updatedAt",
            runs.recent AS "recentRuns", sch.next_fire_at AS "nextFireAt",
            sch.schedule_count AS "scheduleCount"
       FROM (SELECT * FROM workflows w
              WHERE w.team_id = $1
                AND ($2::boolean OR w.archived_at IS NULL)
                AND ($3::text IS NULL OR strpos(lower(w.name), lower($3)) > 0
                     OR strpos(lower(coalesce(w.description, '')), lower($3)) > 0
                     OR lower($3) = ANY (SELECT lower(t) FROM unnest(w.tags) t))
                AND ($4::text IS NULL OR w.name > $4)
                AND ($6::text IS NULL OR lower($6) = ANY (SELECT lower(t) FROM unnest(w.tags) t))
              ORDER BY w.name LIMIT $5) w
       LEFT JOIN workflow_versions v ON v.id = w.current_version_id
      CROSS JOIN LATERAL (
             SELECT coalesce(json_agg(json_build_object('id', r.id, 'number', r.number,
                                                        'status', r.status, 'createdAt', r.created_at)
                                      ORDER BY r.created_at DESC, r.number DESC), '[]') AS recent
               FROM (SELECT r.id, r.number, r.status, r.created_at FROM workflow_runs r
                      WHERE r.workflow_id = w.id
                      ORDER BY r.created_at DESC, r.number DESC LIMIT ${RECENT_RUNS}) r) runs
      CROSS JOIN LATERAL (
             SELECT count(*)::int AS schedule_count,
                    min(s.next_fire_at) FILTER (WHERE s.enabled) AS next_fire_at
               FROM schedules s WHERE s.workflow_id = w.id) sch
      ORDER BY w.name`,
    [
      teamId,
      opts.includeArchived ?? false,
      opts.search ?? null,
      opts.afterName ?? null,
      opts.limit + 1,
      opts.tag ?? null,
    ],
  );
  const items = rows.slice(0, opts.limit).map((r) => {
    const recentRuns = r.recentRuns.map((run) => ({ ...run, createdAt: new Date(run.createdAt) }));
    return { ...r, lastRun: recentRuns[0] ?? null, recentRuns };
  });
  return {
    items,
    nextCursor: rows.length > opts.limit ? (items[items.length - 1]?.name ?? null) : null,
  };
}

export interface VersionDetail {
  id: string;
  workflowId: string;
  teamId: string;
  version: number;
  definition: NormalizedWorkflow;
  contentHash: string;
  /** The editor's node positions; null when none were saved. */
  layout: WorkflowLayout | null;
  createdAt: Date;
  createdByEmail: string | null;
}

export interface WorkflowDetail {
  id: string;
  teamId: string;
  name: string;
  description: string | null;
  tags: string[];
  paused: boolean;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  currentVersion: VersionDetail | null;
}

export type WorkflowRef = { id: string } | { name: string };

/** A team's workflow by id or name, with its current version; null when the team has none. */
export async function findWorkflow(
  db: Queryable,
  teamId: string,
  ref: WorkflowRef,
): Promise<WorkflowDetail | null> {
  const byId = 'id' in ref;
  const { rows } = await db.query<
    Omit<WorkflowDetail, 'currentVersion'> & { versionId: string | null }
  >(
    `SELECT id, team_id AS "teamId", name, description, tags, paused, archived_at AS "archivedAt",
            created_at AS "createdAt", updated_at AS "updatedAt",
            current_version_id AS "versionId"
       FROM workflows WHERE team_id = $1 AND ${byId ? 'id = $2::uuid' : 'name = $2'}`,
    [teamId, byId ? ref.id : ref.name],
  );
  const row = rows[0];
  if (!row) return null;
  const { versionId, ...workflow } = row;
  return {
    ...workflow,
    currentVersion: versionId ? await getVersion(db, teamId, versionId) : null,
  };
}

const VERSION_SELECT = `SELECT v.id, v.workflow_id AS "workflowId", w.team_id AS "teamId", v.version,
         v.definition, v.content_hash AS "contentHash", v.layout, v.created_at AS "createdAt",
         u.email AS "createdByEmail"
    FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
    LEFT JOIN users u ON u.id = v.created_by_id`;

/** One version of one of the team's workflows, or null. */
export async function getVersion(
  db: Queryable,
  teamId: string,
  versionId: string,
): Promise<VersionDetail | null> {
  const { rows } = await db.query<VersionDetail>(
    `${VERSION_SELECT} WHERE v.id = $1 AND w.team_id = $2`,
    [versionId, teamId],
  );
  return rows[0] ?? null;
}

export interface VersionListItem {
  id: string;
  version: number;
  contentHash: string;
  createdAt: Date;
  createdByEmail: string | null;
  current: boolean;
}

/** A workflow's versions, newest first (null when the team has no such workflow). */
export async function listVersions(
  db: Queryable,
  teamId: string,
  workflowId: string,
): Promise<VersionListItem[] | null> {
  const wf = await db.query('SELECT 1 FROM workflows WHERE id = $1 AND team_id = $2', [
    workflowId,
    teamId,
  ]);
  if (!wf.rowCount) return null;
  const { rows } = await db.query<VersionListItem>(
    `SELECT v.id, v.version, v.content_hash AS "contentHash", v.created_at AS "createdAt",
            u.email AS "createdByEmail", (w.current_version_id = v.id) AS current
       FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
       LEFT JOIN users u ON u.id = v.created_by_id
      WHERE v.workflow_id = $1 ORDER BY v.version DESC`,
    [workflowId],
  );
  return rows;
}

/** Archives a workflow (no new runs; re-applying it restores it). Null when not found. */
export async function archiveWorkflow(
  db: Queryable,
  teamId: string,
  workflowId: string,
): Promise<{ id: string; name: string; wasArchived: boolean } | null> {
  const { rows } = await db.query<{ id: string; name: string; wasArchived: boolean }>(
    `UPDATE workflows w SET archived_at = COALESCE(w.archived_at, now()), updated_at = now()
       FROM (SELECT id, archived_at IS NOT NULL AS was FROM workflows WHERE id = $1 FOR UPDATE) old
      WHERE w.id = old.id AND w.team_id = $2
      RETURNING w.id, w.name, old.was AS "wasArchived"`,
    [workflowId, teamId],
  );
  return rows[0] ?? null;
}

/** The team owning a workflow or a version, for authorization; null when unknown. */
export async function teamOfWorkflow(db: Queryable, workflowId: string): Promise<string | null> {
  const { rows } = await db.query<{ team_id: string }>(
    'SELECT team_id FROM workflows WHERE id = $1',
    [workflowId],
  );
  return rows[0]?.team_id ?? null;
}

export async function teamOfVersion(db: Queryable, versionId: string): Promise<string | null> {
  const { rows } = await db.query<{ team_id: string }>(
    `SELECT w.team_id FROM workflow_versions v JOIN workflows w ON w.id = v.workflow_id
      WHERE v.id = $1`,
    [versionId],
  );
  return rows[0]?.team_id ?? null;
}

/** Version `version` (its number) of one of the team's workflows, or null. */
export async function getVersionByNumber(
  db: Queryable,
  teamId: string,
  workflowId: string,
  version: number,
): Promise<VersionDetail | null> {
  const { rows } = await db.query<VersionDetail>(
    `${VERSION_SELECT} WHERE v.workflow_id = $1 AND v.version = $2 AND w.team_id = $3`,
    [workflowId, version, teamId],
  );
  return rows[0] ?? null;
}
