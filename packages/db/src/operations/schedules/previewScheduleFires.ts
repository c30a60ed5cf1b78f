// The next fire times of a schedule (stored, or a cron being edited), for the UI and CLI.
import { nextFireAfter, normalizeTimeZone, parseCron } from '@dtss/core';
import type { Pool } from '../../pool';
import { readSchedule } from './readSchedules';
import {
  parseScheduleInput,
  previewScheduleFiresInputSchema,
  ScheduleError,
  type PreviewScheduleFiresInput,
} from './types';

export interface ScheduleFirePreview {
  /** Next instants, within the start/end dates, after `now` (or after the last fire if later). */
  fires: Date[];
  timezone: string;
}

export async function previewScheduleFires(
  pool: Pool,
  input: PreviewScheduleFiresInput,
  now: Date = new Date(),
): Promise<ScheduleFirePreview> {
  const i = parseScheduleInput(previewScheduleFiresInputSchema, input);
  let source = i;
  if ('scheduleId' in i) {
    const s = await readSchedule(pool, i.teamId, i.scheduleId);
    if (!s) throw new ScheduleError('unknown_schedule', `unknown schedule ${i.scheduleId}`);
    source = { ...s, count: i.count };
  }
  const { cron, timezone, startAt, endAt, count } = source as {
    cron: string;
    timezone: string;
    startAt: Date | null;
    endAt: Date | null;
    count: number;
  };
  const spec = parseCron(cron);
  const zone = normalizeTimeZone(timezone);
  if (!spec.ok || !zone.ok) {
    const details = [
      ...(spec.ok ? [] : [{ path: 'cron', message: spec.error.message }]),
      ...(zone.ok ? [] : [{ path: 'timezone', message: zone.message }]),
    ];
    throw new ScheduleError(
      'invalid_input',
      details.map((d) => `${d.path}: ${d.message}`).join('; '),
      details,
    );
  }
  const fires: Date[] = [];
  for (let after = now; fires.length < count;) {
    const next = nextFireAfter(spec.cron, zone.zone, after, { startAt, endAt });
    if (!next) break;
    fires.push(next);
    after = next;
  }
  return { fires, timezone: zone.zone };
}
