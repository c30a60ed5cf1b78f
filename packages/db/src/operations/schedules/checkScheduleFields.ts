// What a schedule must satisfy before it is stored: a valid cron and zone, a date range that is a
// range, and params its workflow accepts.
import { normalizeTimeZone, parseCron, validateParams } from '@dtss/core';
import type { Pool } from '../../pool';
import { loadVersion } from '../runs/versionCache';
import { ScheduleError } from './types';

export interface ScheduleFields {
  cron: string;
  timezone: string;
  params: Record<string, unknown>;
  startAt: Date | null;
  endAt: Date | null;
}

export interface WorkflowOfSchedule {
  id: string;
  name: string;
  currentVersionId: string | null;
}

/** The fields normalized (cron spelling, zone name, params with defaults); throws ScheduleError. */
export async function checkScheduleFields(
  pool: Pool,
  workflow: WorkflowOfSchedule,
  fields: ScheduleFields,
): Promise<ScheduleFields> {
  const details: { path: string; message: string }[] = [];
  const cron = parseCron(fields.cron);
  if (!cron.ok) details.push({ path: 'cron', message: cron.error.message });
  const zone = normalizeTimeZone(fields.timezone);
  if (!zone.ok) details.push({ path: 'timezone', message: zone.message });
  if (fields.startAt && fields.endAt && fields.startAt >= fields.endAt) {
    details.push({ path: 'endAt', message: 'endAt must be after startAt' });
  }
  let params = fields.params;
  if (workflow.currentVersionId) {
    const version = await loadVersion(pool, workflow.currentVersionId);
    const checked = validateParams(version.definition.params, fields.params, { path: ['params'] });
    if (checked.ok) params = checked.value;
    else details.push(...checked.errors.map((e) => ({ path: e.path, message: e.message })));
  }
  if (details.length) {
    throw new ScheduleError(
      'invalid_input',
      `invalid schedule for "${workflow.name}": ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  return {
    cron: cron.ok ? cron.cron.source : fields.cron,
    timezone: zone.ok ? zone.zone : fields.timezone,
    params,
    startAt: fields.startAt,
    endAt: fields.endAt,
  };
}

export async function findWorkflowOfTeam(
  pool: Pool,
  teamId: string,
  workflowId: string,
): Promise<WorkflowOfSchedule> {
  const { rows } = await pool.query<WorkflowOfSchedule>(
    `SELECT id, name, current_version_id AS "currentVersionId" FROM workflows
      WHERE team_id = $1 AND id = $2`,
    [teamId, workflowId],
  );
  if (!rows[0]) throw new ScheduleError('unknown_workflow', `unknown workflow ${workflowId}`);
  return rows[0];
}
