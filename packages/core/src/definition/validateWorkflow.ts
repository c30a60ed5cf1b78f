// Validates a workflow object (parsed YAML/JSON or an API body) and returns its normalized form,
// or every problem found, each as `path: message`.
//
// Passes: (1) each top-level section and each task against its schema, (2) normalization (defaults
// merged, durations in ms, names filled in), (3) cross-field checks on what parsed: the graph,
// templates, param schemas, schedule and trigger params. Later passes use whatever earlier passes
// could parse, so one broken field does not hide unrelated errors.
import type { z } from 'zod';
import { describeValue, quote } from '../util/describeValue';
import { findUnstorable } from '../util/storable';
import { didYouMean } from '../util/suggest';
import type { TriggerRule } from '../state/triggerRules';
import { normalizeAlerts } from '../alerts/alertsSection';
import { checkDag } from './checks/checkDag';
import { checkEnvSecretOverlap } from './checks/checkEnvironment';
import { checkScheduleParams, checkTriggerParams } from './checks/checkRunSources';
import { checkTaskTemplates } from './checks/checkTemplates';
import { toValidationError, type Issue, type ValidationError } from './issue';
import { LIMITS } from './limits';
import { normalizeDefaults, normalizeTask, pickDuration } from './normalizeTask';
import { checkValueSchema } from './params/checkValueSchema';
import { parseParamsSpec } from './params/parseParamsSpec';
import { parseTasks } from './parseTasks';
import { retryBoundsProblems, retrySpellingProblems } from './retryPolicy';
import { normalizeSchedules, normalizeTriggers, parseEntries } from './runSources';
import { scheduleSchema } from './scheduleSchema';
import { triggerSchema } from './triggerSchema';
import { summarize } from './summary';
import {
  SCHEMA_VERSION,
  type NormalizedTask,
  type NormalizedWorkflow,
  type WorkflowSummary,
} from './types';
import { TOP_LEVEL_FIELDS, workflowSections } from './workflowSchema';
import { parseWithSchema } from './zodIssues';

export type WorkflowValidationResult =
  | { ok: true; workflow: NormalizedWorkflow; summary: WorkflowSummary }
  | { ok: false; errors: ValidationError[] };

/** Internal form of the result: issue paths as segments (parseWorkflowText maps them to lines). */
export type WorkflowCheckResult =
  | { ok: true; workflow: NormalizedWorkflow; summary: WorkflowSummary }
  | { ok: false; issues: Issue[] };

export function validateWorkflow(input: unknown): WorkflowValidationResult {
  const result = checkWorkflow(input);
  return result.ok ? result : { ok: false, errors: result.issues.map(toValidationError) };
}

type Sections = {
  -readonly [K in keyof typeof workflowSections]?: z.output<(typeof workflowSections)[K]>;
};

export function checkWorkflow(input: unknown): WorkflowCheckResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      issues: [
        {
          path: [],
          message: `expected a workflow (an object with name and tasks), got ${describeValue(input)}`,
        },
      ],
    };
  }
  const raw = input as Record<string, unknown>;
  const issues: Issue[] = [];

  // Pass 0: text a database can hold (a YAML "\0" escape is a NUL), nesting within bounds.
  const unstorable = findUnstorable(raw, LIMITS.maxDocumentDepth);
  if (unstorable) issues.push({ path: unstorable.path, message: unstorable.message });

  for (const key of Object.keys(raw)) {
    if (!TOP_LEVEL_FIELDS.includes(key)) {
      issues.push({
        path: [key],
        message: `unknown field ${quote(key)}${didYouMean(key, TOP_LEVEL_FIELDS) || ` (allowed: ${TOP_LEVEL_FIELDS.join(', ')})`}`,
      });
    }
  }

  // Pass 1: sections and tasks, each on its own.
  const sections: Sections = {};
  for (const key of Object.keys(workflowSections) as Array<keyof typeof workflowSections>) {
    const parsed = parseWithSchema(workflowSections[key], raw[key], { path: [key] });
    if (parsed.ok) (sections as Record<string, unknown>)[key] = parsed.value;
    else issues.push(...parsed.issues);
  }
  if (raw.runTimeout !== undefined && raw.runTimeoutMs !== undefined) {
    issues.push({
      path: ['runTimeout'],
      message: 'give either "runTimeout" or "runTimeoutMs", not both',
    });
  }
  for (const problem of retrySpellingProblems(sections.defaults?.retries)) {
    issues.push({ path: ['defaults', 'retries', problem.field], message: problem.message });
  }
  const paramsSection = parseParamsSpec(raw.params);
  issues.push(...paramsSection.issues);
  const tasks = parseTasks(raw.tasks);
  issues.push(...tasks.issues);

  // Pass 2: normalization of what parsed.
  const params = paramsSection.spec;
  const paramsComplete = paramsSection.issues.length === 0;
  const defaults = normalizeDefaults(sections.defaults);
  for (const problem of retryBoundsProblems(sections.defaults?.retries, defaults.retries)) {
    issues.push({ path: ['defaults', 'retries', problem.field], message: problem.message });
  }
  issues.push(...checkEnvSecretOverlap(defaults.env, defaults.secrets, ['defaults']));
  const normalizedTasks = new Map<string, NormalizedTask>();
  for (const [id, parsed] of tasks.parsed) {
    const task = normalizeTask(parsed, defaults);
    normalizedTasks.set(id, task);
    if (parsed.retries) {
      for (const problem of retryBoundsProblems(parsed.retries, task.retries)) {
        issues.push({ path: ['tasks', id, 'retries', problem.field], message: problem.message });
      }
    }
    if (parsed.env || parsed.secrets)
      issues.push(...checkEnvSecretOverlap(task.env, task.secrets, ['tasks', id]));
  }
  const parsedSchedules =
    sections.schedules && parseEntries(scheduleSchema, sections.schedules, 'schedules', issues);
  const parsedTriggers =
    sections.triggers && parseEntries(triggerSchema, sections.triggers, 'triggers', issues);
  const schedules = parsedSchedules && normalizeSchedules(parsedSchedules, issues);
  const triggers = parsedTriggers && normalizeTriggers(parsedTriggers, issues);
  const alerts = sections.alerts && normalizeAlerts(sections.alerts, issues);

  // Pass 3: checks across fields.
  for (const [name, spec] of Object.entries(params))
    issues.push(...checkValueSchema(spec, ['params', name]));
  // Against a partial spec, every value of a broken param would be reported as unknown.
  if (paramsComplete && schedules) issues.push(...checkScheduleParams(params, schedules));
  if (paramsComplete && triggers) issues.push(...checkTriggerParams(params, triggers));
  for (const [id, task] of normalizedTasks) {
    if (task.output?.schema)
      issues.push(...checkValueSchema(task.output.schema, ['tasks', id, 'output', 'schema']));
  }
  if (tasks.usable) {
    const triggerRules = new Map<string, TriggerRule>();
    for (const [id, task] of normalizedTasks) triggerRules.set(id, task.trigger);
    const graph = checkDag({ needs: tasks.needs, triggers: triggerRules });
    issues.push(...graph.issues);
    issues.push(
      ...checkTaskTemplates({
        params,
        brokenParams: paramsSection.failed,
        tasks: normalizedTasks,
        dag: graph.dag,
        // An invalid triggers section must not turn every event reference into an error too.
        hasTriggers: triggers === undefined || triggers.length > 0,
      }),
    );
  }

  if (issues.length > 0) return { ok: false, issues: inDocumentOrder(dedupe(issues), raw) };

  const workflow: NormalizedWorkflow = {
    schemaVersion: SCHEMA_VERSION,
    name: sections.name!,
    description: sections.description ?? null,
    tags: [...new Set(sections.tags)],
    params,
    defaults,
    concurrency: sections.concurrency!,
    runTimeoutMs: pickDuration(sections.runTimeout, sections.runTimeoutMs, null),
    schedules: schedules!.map((entry) => entry.value),
    triggers: triggers!.map((entry) => entry.value),
    ...(alerts && alerts.length > 0 ? { alerts } : {}),
    tasks: Object.fromEntries(normalizedTasks),
  };
  return { ok: true, workflow, summary: summarize(workflow) };
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${JSON.stringify(issue.path)}\u0000${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Sorts by top-level field as written, then by entry as written (task, param, schedule index);
 * otherwise keeps discovery order, which follows the fields within an entry.
 */
function inDocumentOrder(issues: Issue[], raw: Record<string, unknown>): Issue[] {
  const topOrder = new Map(Object.keys(raw).map((key, i) => [key, i]));
  const entryOrder = new Map<string, Map<string, number>>();
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      entryOrder.set(key, new Map(Object.keys(value).map((entry, i) => [entry, i])));
    }
  }
  const rank = (issue: Issue): [number, number] => {
    const [top, second] = issue.path;
    if (typeof top !== 'string') return [-1, -1];
    const entry =
      typeof second === 'number'
        ? second
        : typeof second === 'string'
          ? (entryOrder.get(top)?.get(second) ?? -1)
          : -1;
    return [topOrder.get(top) ?? -1, entry];
  };
  return issues
    .map((issue, i) => ({ issue, i, rank: rank(issue) }))
    .sort((a, b) => a.rank[0] - b.rank[0] || a.rank[1] - b.rank[1] || a.i - b.i)
    .map(({ issue }) => issue);
}
