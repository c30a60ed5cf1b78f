// Starting a backfill: check everything, count its instants, store it, wake the leader (which
// creates the runs, maxConcurrency at a time: advanceBackfills).
import { cronFiresBetween, normalizeTimeZone, parseCron, validateParams } from '@dtss/core';
import type { Pool } from '../../pool';
import { loadVersion } from '../runs/versionCache';
import { notifyScheduler } from '../schedules/notify';
import { readBackfill } from './readBackfills';
import {
  BackfillError,
  createBackfillInputSchema,
  MAX_BACKFILL_RUNS,
  parseBackfillInput,
  type BackfillView,
  type CreateBackfillInput,
} from './types';

export async function createBackfill(
  pool: Pool,
  input: CreateBackfillInput,
): Promise<BackfillView> {
  const i = parseBackfillInput(createBackfillInputSchema, input);
  const { rows: workflows } = await pool.query<{ name: string; versionId: string | null }>(
    `SELECT name, current_version_id AS "versionId" FROM workflows
      WHERE team_id = $1 AND id = $2 AND archived_at IS NULL`,
    [i.teamId, i.workflowId],
  );
  const workflow = workflows[0];
  if (!workflow?.versionId) {
    throw new BackfillError('unknown_workflow', `unknown workflow ${i.workflowId}`);
  }
  let cron = i.cron ?? '';
  let timezone = i.timezone ?? 'UTC';
  let params = i.params;
  if (i.scheduleId) {
    const { rows } = await pool.query<{ cron: string; timezone: string; params: object }>(
      `SELECT cron, timezone, params FROM schedules WHERE id = $1 AND workflow_id = $2`,
      [i.scheduleId, i.workflowId],
    );
    if (!rows[0]) {
      throw new BackfillError(
        'unknown_schedule',
        `workflow "${workflow.name}" has no schedule ${i.scheduleId}`,
      );
    }
    ({ cron, timezone } = rows[0]);
    params = { ...rows[0].params, ...i.params };
  }
  const spec = parseCron(cron);
  if (!spec.ok) {
    throw new BackfillError('invalid_input', `cron: ${spec.error.message}`, [
      { path: 'cron', message: spec.error.message },
    ]);
  }
  const zone = normalizeTimeZone(timezone);
  if (!zone.ok) {
    throw new BackfillError('invalid_input', `timezone: ${zone.message}`, [
      { path: 'timezone', message: zone.message },
    ]);
  }
  const version = await loadVersion(pool, workflow.versionId);
  const checked = validateParams(version.definition.params, params, { path: ['params'] });
  if (!checked.ok) {
    throw new BackfillError(
      'invalid_input',
      `invalid params for "${workflow.name}": ${checked.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
      checked.errors.map((e) => ({ path: e.path, message: e.message })),
    );
  }
  // rangeStart is inclusive; cronFiresBetween's lower bound is not.
  const instants = cronFiresBetween(
    spec.cron,
    zone.zone,
    new Date(i.rangeStart.getTime() - 1),
    i.rangeEnd,
    MAX_BACKFILL_RUNS + 1,
  );
  if (instants.length === 0) {
    throw new BackfillError('empty_range', `"${cron}" (${zone.zone}) has no instant in this range`);
  }
  if (instants.length > MAX_BACKFILL_RUNS) {
    throw new BackfillError(
      'too_many_runs',
      `the range holds more than ${MAX_BACKFILL_RUNS} instants of "${cron}": split it into several backfills`,
    );
  }
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO backfills (team_id, workflow_id, schedule_id, cron, timezone, range_start, range_end,
                            params, max_concurrency, total_runs, cursor, created_by_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
    [
      i.teamId,
      i.workflowId,
      i.scheduleId ?? null,
      spec.cron.source,
      zone.zone,
      i.rangeStart,
      i.rangeEnd,
      JSON.stringify(params),
      i.maxConcurrency,
      instants.length,
      instants[0],
      i.createdById ?? null,
    ],
  );
  const id = rows[0]!.id;
  await notifyScheduler(pool, `backfill:${id}`);
  return (await readBackfill(pool, i.teamId, id))!;
}
