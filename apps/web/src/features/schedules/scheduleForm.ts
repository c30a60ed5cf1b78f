// The schedule dialog's state and what it sends: a draft of strings, the problems the browser can
// tell before sending (cron and zone by @dtss/core's own rules, params by JSON.parse), and the
// create input or the changed fields of an update. The server checks everything again.
import { normalizeTimeZone, parseCron } from '@dtss/core';
import { paramsTextOf, readParamsText } from './paramsJson';
import {
  DEFAULT_CATCHUP,
  DEFAULT_OVERLAP,
  type CatchupPolicy,
  type OverlapPolicy,
} from './policies';

export interface ScheduleDraft {
  workflowId: string;
  name: string;
  cron: string;
  timezone: string;
  overlapPolicy: OverlapPolicy;
  catchupPolicy: CatchupPolicy;
  paramsText: string;
  enabled: boolean;
}

/** The fields of the form, named as the API names them (issues are placed by these names). */
export const SCHEDULE_FIELDS = [
  'workflowId',
  'name',
  'cron',
  'timezone',
  'overlapPolicy',
  'catchupPolicy',
  'params',
  'enabled',
] as const;
export type ScheduleField = (typeof SCHEDULE_FIELDS)[number];

/** What a stored schedule gives the form. */
export interface EditableSchedule {
  workflowId: string;
  name: string;
  cron: string;
  timezone: string;
  overlapPolicy: OverlapPolicy;
  catchupPolicy: CatchupPolicy;
  params: Record<string, unknown>;
  enabled: boolean;
}

export function newScheduleDraft(timezone: string, workflowId = ''): ScheduleDraft {
  return {
    workflowId,
    name: '',
    cron: '0 * * * *',
    timezone,
    overlapPolicy: DEFAULT_OVERLAP,
    catchupPolicy: DEFAULT_CATCHUP,
    paramsText: '{}',
    enabled: true,
  };
}

export function draftOfSchedule(s: EditableSchedule): ScheduleDraft {
  return {
    workflowId: s.workflowId,
    name: s.name,
    cron: s.cron,
    timezone: s.timezone,
    overlapPolicy: s.overlapPolicy,
    catchupPolicy: s.catchupPolicy,
    paramsText: paramsTextOf(s.params),
    enabled: s.enabled,
  };
}

/** Problems by field; empty when the draft can be sent. */
export function draftProblems(d: ScheduleDraft): Partial<Record<ScheduleField, string[]>> {
  const out: Partial<Record<ScheduleField, string[]>> = {};
  if (!d.workflowId) out.workflowId = ['choose a workflow'];
  if (!d.name.trim()) out.name = ['give the schedule a name'];
  if (!d.cron.trim()) out.cron = ['enter a cron expression'];
  else {
    const cron = parseCron(d.cron);
    if (!cron.ok) out.cron = [cron.error.message];
  }
  const zone = normalizeTimeZone(d.timezone);
  if (!zone.ok) out.timezone = [zone.message];
  const params = readParamsText(d.paramsText);
  if (!params.ok) out.params = [params.message];
  return out;
}

export interface ScheduleCreateFields {
  workflowId: string;
  name: string;
  cron: string;
  timezone: string;
  overlapPolicy: OverlapPolicy;
  catchupPolicy: CatchupPolicy;
  params: Record<string, unknown>;
  enabled: boolean;
}

/** The create input of a draft without problems (throws otherwise: check draftProblems first). */
export function createFields(d: ScheduleDraft): ScheduleCreateFields {
  const params = readParamsText(d.paramsText);
  if (!params.ok) throw new Error(params.message);
  return {
    workflowId: d.workflowId,
    name: d.name.trim(),
    cron: d.cron.trim(),
    timezone: d.timezone,
    overlapPolicy: d.overlapPolicy,
    catchupPolicy: d.catchupPolicy,
    params: params.value,
    enabled: d.enabled,
  };
}

export type ScheduleChanges = Partial<
  Pick<
    ScheduleCreateFields,
    'cron' | 'timezone' | 'overlapPolicy' | 'catchupPolicy' | 'params' | 'enabled'
  >
>;

/**
 * The fields an edit changed (the workflow and the name of a schedule are fixed). Only those are
 * sent, so fields the form does not show (start and end dates, jitter) stay as they are.
 */
export function changedFields(d: ScheduleDraft, original: EditableSchedule): ScheduleChanges {
  const next = createFields(d);
  const out: ScheduleChanges = {};
  if (next.cron !== original.cron) out.cron = next.cron;
  if (next.timezone !== original.timezone) out.timezone = next.timezone;
  if (next.overlapPolicy !== original.overlapPolicy) out.overlapPolicy = next.overlapPolicy;
  if (next.catchupPolicy !== original.catchupPolicy) out.catchupPolicy = next.catchupPolicy;
  if (JSON.stringify(next.params) !== JSON.stringify(original.params)) out.params = next.params;
  if (next.enabled !== original.enabled) out.enabled = next.enabled;
  return out;
}
