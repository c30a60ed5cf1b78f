// The normalized workflow: what validation returns, the API serves and the database stores.
// Every field is present (null where absent), durations are milliseconds in `…Ms` fields, and
// task defaults are already merged into each task, so the engine never resolves inheritance.
import type { z } from 'zod';
import type { TASK_KINDS, TaskKindName } from './kinds';
import type { ParamsSpec } from './params/valueSchema';
import type { Schedule } from './scheduleSchema';
import type { TaskCommon, TaskDefaults } from './taskSchema';
import type { Trigger } from './triggerSchema';
import type { AlertRuleSpec } from '../alerts/ruleSchema';

export const SCHEMA_VERSION = 1;

type KindFields<K extends TaskKindName> = z.output<(typeof TASK_KINDS)[K]['configSchema']>;

/** A task with defaults applied; `kind` tells which kind fields it carries. */
export type NormalizedTask = {
  [K in TaskKindName]: TaskCommon & { kind: K } & KindFields<K>;
}[TaskKindName];

export type TaskOfKind<K extends TaskKindName> = Extract<NormalizedTask, { kind: K }>;

export interface NormalizedWorkflow {
  /** Version of this format, for migrations of stored definitions. */
  schemaVersion: typeof SCHEMA_VERSION;
  name: string;
  description: string | null;
  tags: string[];
  params: ParamsSpec;
  /** As given (with system defaults filled in); already applied to every task. */
  defaults: TaskDefaults;
  concurrency: {
    /** Runs of this workflow allowed at once; further runs wait in `queued`. null: no limit. */
    maxRuns: number | null;
  };
  /** Limit on a whole run, from start to end. null: no limit. */
  runTimeoutMs: number | null;
  schedules: Schedule[];
  triggers: Trigger[];
  /**
   * Alert rules (`alerts:`). Absent when the file has none, so definitions saved before alerts
   * existed keep their content hash.
   */
  alerts?: AlertRuleSpec[];
  /** Task id → task, in definition order. */
  tasks: Record<string, NormalizedTask>;
}

export interface WorkflowSummary {
  name: string;
  taskCount: number;
  layerCount: number;
  paramCount: number;
  scheduleCount: number;
  triggerCount: number;
}
