// `alerts:` in a workflow file, and the team-level rules the API takes: what to watch and which
// channels (by name) to tell. Each entry is parsed on its own and normalized to AlertRuleSpec.
import { z } from 'zod';
import { quote } from '../util/describeValue';
import { durationSchema, millisecondsSchema, poolSchema, slugName } from '../definition/fields';

/** What a rule watches. */
export const ALERT_RULE_KINDS = [
  'run_failed',
  'run_recovered',
  'task_retries',
  'deadline',
  'worker_lost',
  'pool_starved',
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

/** Final run statuses a `run_failed` rule can watch. */
export const ALERT_FAILED_STATUSES = ['failed', 'timed_out', 'cancelled'] as const;
export type AlertFailedStatus = (typeof ALERT_FAILED_STATUSES)[number];

/** Where an SLA deadline is measured from. */
export const DEADLINE_BASES = ['logical_date', 'queued', 'average'] as const;
export type DeadlineBasis = (typeof DEADLINE_BASES)[number];

export const ALERT_CHANNEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,99}$/;
export const MAX_ALERT_RULES = 50;

export interface DeadlineSpec {
  /** `logical_date` (the run's logical date, else when it was queued), `queued`, or `average`
   * (from the run's start: the mean duration of the workflow's last `runs` successful runs). */
  from: DeadlineBasis;
  /** Added to the basis (for `average`, to the mean times `factor`). */
  afterMs: number;
  /** `average` only: how many successful runs the mean is taken over. */
  runs: number;
  /** `average` only: the mean is multiplied by this. */
  factor: number;
}

/** A rule in its normalized form, as stored (alert_rules.config) and evaluated by the leader. */
export interface AlertRuleSpec {
  name: string;
  on: AlertRuleKind;
  /** Channel names of the team; a name no channel has is skipped when delivering. */
  channels: string[];
  enabled: boolean;
  /** `run_failed`: the final statuses that count as a failure. */
  statuses: AlertFailedStatus[];
  /** `task_retries`: alert when a task has been retried more than this many times. */
  retries: number | null;
  /** `deadline`: when a run must have ended. */
  deadline: DeadlineSpec | null;
  /** `pool_starved`: how long queued tasks may wait with no live worker serving their pool. */
  waitingMs: number | null;
  /** `pool_starved`: only this pool (null: every pool of the team). */
  pool: string | null;
}

const channelName = z.string().regex(ALERT_CHANNEL_NAME_PATTERN, {
  error: (iss) =>
    `invalid channel name ${quote(String(iss.input))}: use 1-100 lowercase letters, digits, ".", "_" or "-"`,
});

const deadlineSchema = z
  .strictObject({
    from: z.enum(DEADLINE_BASES).describe('deadline basis'),
    after: durationSchema(0).optional(),
    afterMs: millisecondsSchema(0).optional(),
    runs: z.number().int().min(1).max(100).default(10),
    factor: z.number().min(1).max(100).default(1),
  })
  .superRefine((d, ctx) => {
    if (d.after !== undefined && d.afterMs !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['after'],
        message: 'give either "after" or "afterMs", not both',
      });
    }
    if (d.from !== 'average' && d.after === undefined && d.afterMs === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['after'],
        message: `a deadline from ${quote(d.from)} needs "after" (e.g. after: 30m)`,
      });
    }
  });

/** One rule as an author writes it. */
export const alertRuleSchema = z
  .strictObject({
    name: slugName('alert name').optional(),
    on: z.enum(ALERT_RULE_KINDS).describe('alert kind'),
    channels: z.array(channelName).min(1).max(20),
    enabled: z.boolean().default(true),
    statuses: z.array(z.enum(ALERT_FAILED_STATUSES).describe('run status')).min(1).optional(),
    retries: z.number().int().min(0).max(100).optional(),
    deadline: deadlineSchema.optional(),
    waitingFor: durationSchema(1000).optional(),
    waitingForMs: millisecondsSchema(1000).optional(),
    pool: poolSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const only = (field: keyof typeof r, kinds: AlertRuleKind[]) => {
      if (r[field] !== undefined && !kinds.includes(r.on)) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: `"${field}" applies to ${kinds.map((k) => quote(k)).join(', ')} alerts, not ${quote(r.on)}`,
        });
      }
    };
    only('statuses', ['run_failed']);
    only('retries', ['task_retries']);
    only('deadline', ['deadline']);
    only('waitingFor', ['pool_starved']);
    only('waitingForMs', ['pool_starved']);
    only('pool', ['pool_starved']);
    if (r.on === 'task_retries' && r.retries === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['retries'],
        message:
          'a task_retries alert needs "retries" (alert when a task is retried more than this many times)',
      });
    }
    if (r.on === 'deadline' && r.deadline === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['deadline'],
        message: 'a deadline alert needs "deadline" (e.g. { from: queued, after: 1h })',
      });
    }
    if (r.waitingFor !== undefined && r.waitingForMs !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['waitingFor'],
        message: 'give either "waitingFor" or "waitingForMs", not both',
      });
    }
    if (new Set(r.channels).size !== r.channels.length) {
      ctx.addIssue({ code: 'custom', path: ['channels'], message: 'a channel is listed twice' });
    }
  });

export type AlertRuleInput = z.input<typeof alertRuleSchema>;
type ParsedRule = z.output<typeof alertRuleSchema>;

/** Default wait of a `pool_starved` rule. */
export const DEFAULT_POOL_WAIT_MS = 60_000;

/** The normalized rule; `name` defaults to its kind (the caller makes names unique). */
export function normalizeAlertRule(r: ParsedRule): AlertRuleSpec {
  return {
    name: r.name ?? r.on.replace(/_/g, '-'),
    on: r.on,
    channels: [...r.channels],
    enabled: r.enabled,
    statuses: r.on === 'run_failed' ? (r.statuses ?? ['failed', 'timed_out']) : [],
    retries: r.on === 'task_retries' ? (r.retries ?? 0) : null,
    deadline:
      r.on === 'deadline' && r.deadline
        ? {
            from: r.deadline.from,
            afterMs: r.deadline.afterMs ?? r.deadline.after ?? 0,
            runs: r.deadline.runs,
            factor: r.deadline.factor,
          }
        : null,
    waitingMs:
      r.on === 'pool_starved' ? (r.waitingForMs ?? r.waitingFor ?? DEFAULT_POOL_WAIT_MS) : null,
    pool: r.on === 'pool_starved' ? (r.pool ?? null) : null,
  };
}
