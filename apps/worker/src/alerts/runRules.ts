// Rules about runs: failures (open per workflow, resolved by its next success), recoveries (a
// notice), deadlines (open while a run is past its deadline, resolved when it ends) and tasks
// retried too often (resolved when their run ends).
import {
  averageDuration,
  computeDeadline,
  incidentKeys,
  missedDeadline,
  RUN_SCOPED_KINDS,
  type DeadlineSpec,
} from '@dtss/core';
import {
  readActiveRuns,
  readEndedRuns,
  readRetriedTasks,
  readSuccessfulDurations,
  type EndedRun,
  type Pool,
} from '@dtss/db';
import type { EvaluatedRule, IncidentWriter } from './incidents';

const FAILED = new Set(['failed', 'timed_out', 'cancelled']);

const applies = (rule: EvaluatedRule, workflowId: string, createdAt: Date) =>
  (rule.workflowId === null || rule.workflowId === workflowId) && createdAt >= rule.createdAt;

const runName = (run: { workflowName: string; number: number }) =>
  `${run.workflowName} run #${run.number}`;

/** Mean durations per workflow and sample size, read at most once per pass. */
export class DurationCache {
  private readonly cache = new Map<string, Promise<number | null>>();
  constructor(private readonly pool: Pool) {}
  average(workflowId: string, runs: number): Promise<number | null> {
    const key = `${workflowId}|${runs}`;
    let hit = this.cache.get(key);
    if (!hit) {
      hit = readSuccessfulDurations(this.pool, workflowId, runs).then((d) =>
        averageDuration(d, runs),
      );
      this.cache.set(key, hit);
    }
    return hit;
  }
}

function deadlineText(spec: DeadlineSpec, deadline: Date): string {
  const basis =
    spec.from === 'average'
      ? `mean of the last ${spec.runs} successful runs`
      : spec.from.replace('_', ' ');
  return `deadline ${deadline.toISOString()} (from ${basis})`;
}

/**
 * Runs that ended since `since`, oldest end first. Returns the latest end seen (the next cursor).
 */
export async function evaluateEndedRuns(
  pool: Pool,
  writer: IncidentWriter,
  rules: EvaluatedRule[],
  since: Date,
  durations: DurationCache,
): Promise<Date | null> {
  const ended = await readEndedRuns(pool, rules[0]!.teamId, since);
  const createdAtOf = new Map(ended.map((r) => [r.id, r.createdAt]));
  for (const run of ended) {
    for (const rule of rules) {
      // A run-scoped incident (deadline, retries) ends with its run, whatever the rule's scope now.
      if (RUN_SCOPED_KINDS.has(rule.kind)) {
        for (const incident of writer.openFor(rule)) {
          if (incident.runId === run.id)
            await writer.resolve(rule, incident, `${runName(run)} ended: ${run.status}`);
        }
      }
      if (!applies(rule, run.workflowId, run.createdAt)) continue;
      await evaluateEnd(writer, rule, run, createdAtOf, durations);
    }
  }
  return ended.at(-1)?.finishedAt ?? null;
}

async function evaluateEnd(
  writer: IncidentWriter,
  rule: EvaluatedRule,
  run: EndedRun,
  createdAtOf: Map<string, Date>,
  durations: DurationCache,
): Promise<void> {
  const spec = rule.spec;
  switch (rule.kind) {
    case 'run_failed': {
      const keys = incidentKeys({
        kind: 'run_failed',
        workflowId: run.workflowId,
        firstFailedRunId: run.firstFailedRunId,
      });
      if ((spec.statuses as string[]).includes(run.status)) {
        await writer.openIncident(rule, {
          keys,
          title: `${runName(run)} ${run.status === 'failed' ? 'failed' : `ended ${run.status}`}`,
          details: run.failedTasks.length ? [`failed tasks: ${run.failedTasks.join(', ')}`] : [],
          workflowId: run.workflowId,
          workflowName: run.workflowName,
          runId: run.id,
        });
      } else if (run.status === 'succeeded') {
        const open = writer.findOpen(rule, keys.key);
        // A failure that began after this run (re-read in an overlap) is not cleared by it.
        const cause = open?.runId ? createdAtOf.get(open.runId) : undefined;
        if (open && (!cause || cause < run.createdAt))
          await writer.resolve(rule, open, `${runName(run)} succeeded`);
      }
      return;
    }
    case 'run_recovered':
      if (run.status === 'succeeded' && run.previousStatus && FAILED.has(run.previousStatus)) {
        await writer.openIncident(rule, {
          keys: incidentKeys({ kind: 'run_recovered', runId: run.id }),
          title: `${runName(run)} succeeded after a run that ${run.previousStatus === 'failed' ? 'failed' : `ended ${run.previousStatus}`}`,
          details: [],
          workflowId: run.workflowId,
          workflowName: run.workflowName,
          runId: run.id,
          instant: true,
        });
      }
      return;
    case 'deadline': {
      // Ended past its deadline before the leader saw it late: one notice.
      const deadline = computeDeadline(
        spec.deadline!,
        run,
        spec.deadline!.from === 'average'
          ? await durations.average(run.workflowId, spec.deadline!.runs)
          : null,
      );
      if (
        deadline &&
        missedDeadline(deadline, run.finishedAt, run.finishedAt) &&
        !writer.findOpen(rule, `run:${run.id}`)
      ) {
        await writer.openIncident(rule, {
          keys: incidentKeys({ kind: 'deadline', runId: run.id }),
          title: `${runName(run)} ended after its deadline`,
          details: [
            deadlineText(spec.deadline!, deadline),
            `ended ${run.finishedAt.toISOString()}: ${run.status}`,
          ],
          workflowId: run.workflowId,
          workflowName: run.workflowName,
          runId: run.id,
          instant: true,
        });
      }
      return;
    }
    default:
      return;
  }
}

/** Active runs past their deadline. */
export async function evaluateDeadlines(
  pool: Pool,
  writer: IncidentWriter,
  rules: EvaluatedRule[],
  now: Date,
  durations: DurationCache,
): Promise<void> {
  if (rules.length === 0) return;
  const active = await readActiveRuns(pool, rules[0]!.teamId);
  for (const rule of rules) {
    const spec = rule.spec.deadline!;
    for (const run of active) {
      if (!applies(rule, run.workflowId, run.createdAt)) continue;
      const average =
        spec.from === 'average' ? await durations.average(run.workflowId, spec.runs) : null;
      const deadline = computeDeadline(spec, run, average);
      if (!deadline || !missedDeadline(deadline, now, null)) continue;
      await writer.openIncident(rule, {
        keys: incidentKeys({ kind: 'deadline', runId: run.id }),
        title: `${runName(run)} is past its deadline`,
        details: [deadlineText(spec, deadline), `still ${run.status}`],
        workflowId: run.workflowId,
        workflowName: run.workflowName,
        runId: run.id,
      });
    }
  }
}

/** Tasks of running runs retried more than each rule allows. */
export async function evaluateRetries(
  pool: Pool,
  writer: IncidentWriter,
  rules: EvaluatedRule[],
): Promise<void> {
  if (rules.length === 0) return;
  // Retried more than n times: at least n + 2 attempts.
  const least = Math.min(...rules.map((r) => r.spec.retries ?? 0)) + 2;
  const tasks = await readRetriedTasks(pool, rules[0]!.teamId, least);
  for (const rule of rules) {
    const limit = rule.spec.retries ?? 0;
    for (const task of tasks) {
      if (task.attempts < limit + 2) continue;
      if (rule.workflowId !== null && rule.workflowId !== task.workflowId) continue;
      await writer.openIncident(rule, {
        keys: incidentKeys({ kind: 'task_retries', runId: task.runId, taskKey: task.taskKey }),
        title: `task ${task.taskKey} of ${task.workflowName} run #${task.runNumber} retried ${task.attempts - 1} times`,
        details: [`attempt ${task.attempts}, now ${task.status}`, `rule allows ${limit} retries`],
        workflowId: task.workflowId,
        workflowName: task.workflowName,
        runId: task.runId,
      });
    }
  }
}
