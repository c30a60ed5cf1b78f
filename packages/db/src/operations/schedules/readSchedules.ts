// Reading schedules: the list and detail views the API and UI show.
import type { RunStatus } from '@dtss/core';
import type { Pool, PoolClient } from '../../pool';
import {
  listSchedulesInputSchema,
  parseScheduleInput,
  scheduleRefSchema,
  type ListSchedulesInput,
  type ScheduleRef,
  type ScheduleView,
} from './types';

export const SCHEDULE_COLUMNS = `s.id, s.team_id AS "teamId", s.workflow_id AS "workflowId",
  w.name AS "workflowName", s.name, s.cron, s.timezone, s.params, s.enabled,
  s.start_at AS "startAt", s.end_at AS "endAt", s.jitter_ms AS "jitterMs",
  s.overlap_policy AS "overlapPolicy", s.catchup_policy AS "catchupPolicy",
  s.catchup_window_ms AS "catchupWindowMs", s.source, s.last_fire_at AS "lastFireAt",
  s.next_fire_at AS "nextFireAt", s.buffered_fire_at AS "bufferedFireAt",
  s.created_at AS "createdAt", s.updated_at AS "updatedAt"`;

/** A team's schedules (optionally one workflow's), by workflow then name. */
export async function listSchedules(
  pool: Pool,
  input: ListSchedulesInput,
): Promise<ScheduleView[]> {
  const { teamId, workflowId } = parseScheduleInput(listSchedulesInputSchema, input);
  const { rows } = await pool.query<ScheduleView>(
    `SELECT ${SCHEDULE_COLUMNS} FROM schedules s JOIN workflows w ON w.id = s.workflow_id
      WHERE s.team_id = $1 AND ($2::uuid IS NULL OR s.workflow_id = $2)
      ORDER BY w.name, s.name`,
    [teamId, workflowId ?? null],
  );
  return rows;
}

/** One schedule of the team, or null. */
export async function getSchedule(pool: Pool, input: ScheduleRef): Promise<ScheduleView | null> {
  const { teamId, scheduleId } = parseScheduleInput(scheduleRefSchema, input);
  return readSchedule(pool, teamId, scheduleId);
}

export async function readSchedule(
  db: Pool | PoolClient,
  teamId: string,
  scheduleId: string,
): Promise<ScheduleView | null> {
  const { rows } = await db.query<ScheduleView>(
    `SELECT ${SCHEDULE_COLUMNS} FROM schedules s JOIN workflows w ON w.id = s.workflow_id
      WHERE s.team_id = $1 AND s.id = $2`,
    [teamId, scheduleId],
  );
  return rows[0] ?? null;
}

export interface ScheduleLastRun {
  id: string;
  number: number;
  status: RunStatus;
  logicalDate: Date;
}

/**
 * The run of each schedule's latest instant (one index probe per schedule, on
 * workflow_runs(schedule_id, logical_date)), for the schedules page.
 */
export async function lastRunsOfSchedules(
  pool: Pool,
  teamId: string,
  scheduleIds: string[],
): Promise<Map<string, ScheduleLastRun>> {
  if (scheduleIds.length === 0) return new Map();
  const { rows } = await pool.query<ScheduleLastRun & { scheduleId: string }>(
    `SELECT s.id AS "scheduleId", r.id, r.number, r.status, r.logical_date AS "logicalDate"
       FROM unnest($2::uuid[]) AS s(id)
      CROSS JOIN LATERAL (
             SELECT r.id, r.number, r.status, r.logical_date FROM workflow_runs r
              WHERE r.schedule_id = s.id AND r.team_id = $1 AND r.logical_date IS NOT NULL
              ORDER BY r.logical_date DESC LIMIT 1) r`,
    [teamId, scheduleIds],
  );
  return new Map(rows.map(({ scheduleId, ...run }) => [scheduleId, run]));
}
