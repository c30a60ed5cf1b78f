// Schedules made through the API/UI (source = ui). Declared ones belong to their workflow file:
// they can be paused and resumed here, but edited only by re-applying the file.
import type { Pool } from '../../pool';
import { withTransaction } from '../../transaction';
import { checkScheduleFields, findWorkflowOfTeam } from './checkScheduleFields';
import { notifyScheduler } from './notify';
import { readSchedule } from './readSchedules';
import { recomputeNextFire } from './recomputeNextFire';
import {
  createScheduleInputSchema,
  parseScheduleInput,
  scheduleRefSchema,
  ScheduleError,
  setScheduleEnabledInputSchema,
  updateScheduleInputSchema,
  type CreateScheduleInput,
  type ScheduleRef,
  type ScheduleView,
  type SetScheduleEnabledInput,
  type UpdateScheduleInput,
} from './types';

export async function createSchedule(
  pool: Pool,
  input: CreateScheduleInput,
): Promise<ScheduleView> {
  const i = parseScheduleInput(createScheduleInputSchema, input);
  const workflow = await findWorkflowOfTeam(pool, i.teamId, i.workflowId);
  const fields = await checkScheduleFields(pool, workflow, i);
  const id = await withTransaction(pool, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      `INSERT INTO schedules (team_id, workflow_id, name, cron, timezone, params, enabled, start_at,
                              end_at, jitter_ms, overlap_policy, catchup_policy, catchup_window_ms,
                              source, created_by_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'ui', $14)
       ON CONFLICT (workflow_id, name) DO NOTHING RETURNING id`,
      [
        i.teamId,
        i.workflowId,
        i.name,
        fields.cron,
        fields.timezone,
        JSON.stringify(fields.params),
        i.enabled,
        fields.startAt,
        fields.endAt,
        i.jitterMs,
        i.overlapPolicy,
        i.catchupPolicy,
        i.catchupWindowMs,
        i.createdById ?? null,
      ],
    );
    if (!rows[0]) {
      throw new ScheduleError(
        'duplicate_name',
        `workflow "${workflow.name}" already has a schedule named "${i.name}"`,
      );
    }
    await recomputeNextFire(client, rows[0].id, { fromNow: true });
    return rows[0].id;
  });
  return (await readSchedule(pool, i.teamId, id))!;
}

export async function updateSchedule(
  pool: Pool,
  input: UpdateScheduleInput,
): Promise<ScheduleView> {
  const { teamId, scheduleId, changes } = parseScheduleInput(updateScheduleInputSchema, input);
  const current = await requireSchedule(pool, teamId, scheduleId);
  if (current.source === 'definition') {
    throw new ScheduleError(
      'declared_in_file',
      `schedule "${current.name}" is declared in the workflow file of "${current.workflowName}": change the file and apply it (pausing and resuming work here)`,
    );
  }
  // A field given as undefined (superjson carries it) is a field left as it is, not a null.
  const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  const merged = { ...current, ...given };
  const workflow = await findWorkflowOfTeam(pool, teamId, current.workflowId);
  const fields = await checkScheduleFields(pool, workflow, merged);
  const timingChanged =
    fields.cron !== current.cron ||
    fields.timezone !== current.timezone ||
    fields.startAt?.getTime() !== current.startAt?.getTime();
  await withTransaction(pool, async (client) => {
    await client.query(
      `UPDATE schedules SET cron = $2, timezone = $3, params = $4, enabled = $5, start_at = $6,
              end_at = $7, jitter_ms = $8, overlap_policy = $9, catchup_policy = $10,
              catchup_window_ms = $11, updated_at = now()
        WHERE id = $1`,
      [
        scheduleId,
        fields.cron,
        fields.timezone,
        JSON.stringify(fields.params),
        merged.enabled,
        fields.startAt,
        fields.endAt,
        merged.jitterMs,
        merged.overlapPolicy,
        merged.catchupPolicy,
        merged.catchupWindowMs,
      ],
    );
    await recomputeNextFire(client, scheduleId, { fromNow: timingChanged });
  });
  return (await readSchedule(pool, teamId, scheduleId))!;
}

/** Removes a UI-made schedule; its runs stay (their schedule link becomes null). */
export async function deleteSchedule(pool: Pool, input: ScheduleRef): Promise<boolean> {
  const { teamId, scheduleId } = parseScheduleInput(scheduleRefSchema, input);
  const current = await readSchedule(pool, teamId, scheduleId);
  if (!current) return false;
  if (current.source === 'definition') {
    throw new ScheduleError(
      'declared_in_file',
      `schedule "${current.name}" is declared in the workflow file of "${current.workflowName}": remove it from the file and apply it`,
    );
  }
  const { rowCount } = await pool.query(`DELETE FROM schedules WHERE id = $1 AND team_id = $2`, [
    scheduleId,
    teamId,
  ]);
  await notifyScheduler(pool, `schedule:${scheduleId}`);
  return rowCount === 1;
}

/**
 * Pause (enabled = false) or resume. Resuming continues after the last fire, so fires missed while
 * paused follow the catch-up policy.
 */
export async function setScheduleEnabled(
  pool: Pool,
  input: SetScheduleEnabledInput,
): Promise<ScheduleView> {
  const { teamId, scheduleId, enabled } = parseScheduleInput(setScheduleEnabledInputSchema, input);
  await requireSchedule(pool, teamId, scheduleId);
  await withTransaction(pool, async (client) => {
    await client.query(`UPDATE schedules SET enabled = $2, updated_at = now() WHERE id = $1`, [
      scheduleId,
      enabled,
    ]);
    await recomputeNextFire(client, scheduleId);
  });
  return (await readSchedule(pool, teamId, scheduleId))!;
}

async function requireSchedule(
  pool: Pool,
  teamId: string,
  scheduleId: string,
): Promise<ScheduleView> {
  const current = await readSchedule(pool, teamId, scheduleId);
  if (!current) throw new ScheduleError('unknown_schedule', `unknown schedule ${scheduleId}`);
  return current;
}
