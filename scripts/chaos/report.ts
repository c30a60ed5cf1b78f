/**
 * The suite's result: `bench/results/chaos.json` (figures, faults with their recovery times,
 * violations) and the same as a readable report on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckResults, Violation } from './checks';
import { FAULT_KINDS, type FaultKind, type FaultRecord } from './faults';
import { percentile, type Recovery } from './recovery';

export interface ChaosReport {
  mode: 'full' | 'quick';
  seed: number;
  started_at: string;
  finished_at: string;
  workload_s: number;
  settle_s: number;
  settled: boolean;
  netns: string;
  tasks: number;
  runs: number;
  attempts: number;
  lost_attempts: number;
  runs_by_status: Record<string, number>;
  tasks_by_status: Record<string, number>;
  faults: Record<FaultKind, number>;
  faults_skipped: number;
  lost_tasks: number;
  duplicate_fires: number;
  missing_fires: number;
  stale_completions_accepted: number;
  stuck_tasks: number;
  stuck_runs: number;
  duplicate_executions: number;
  unrecorded_duplicates: number;
  missing_side_effects: number;
  /** Lost attempts whose process still did its work after they were declared lost. */
  late_lost_effects: number;
  recovery_p50_s: number | null;
  recovery_max_s: number | null;
  schedules: CheckResults['schedules'];
  events: CheckResults['events'];
  logs: { attempts: number; with_marker: number };
  /** Attempts the engine failed without running them to an exit code (database blips). */
  attempts_failed_unstarted: number;
  notes: string[];
  submissions: { total: number; unanswered: number; retried: number };
  fault_log: {
    t_s: number;
    kind: FaultKind;
    target: string | null;
    detail: string;
    affected: number;
    recovery_s: number | null;
    unrecovered: number;
    /** The affected task that took longest to run again, and what ended its wait. */
    slowest?: string;
    skipped?: string;
  }[];
  violation_counts: CheckResults['violationCounts'];
  violations: Violation[];
}

export function buildReport(o: {
  mode: 'full' | 'quick';
  seed: number;
  startedAt: number;
  workloadStartedAt: number;
  workloadMs: number;
  settle: { settled: boolean; waitedMs: number };
  netns: string;
  checks: CheckResults;
  faults: FaultRecord[];
  recoveries: Recovery[];
  submissions: { total: number; unanswered: number; retried: number };
  extraViolations: Violation[];
}): ChaosReport {
  const c = o.checks;
  const faults = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  for (const f of o.faults) if (!f.skipped) faults[f.kind]++;
  const seconds = o.recoveries.map((r) => r.seconds).filter((s): s is number => s !== null);
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10);
  return {
    mode: o.mode,
    seed: o.seed,
    started_at: new Date(o.startedAt).toISOString(),
    finished_at: new Date().toISOString(),
    workload_s: Math.round(o.workloadMs / 1000),
    settle_s: Math.round(o.settle.waitedMs / 1000),
    settled: o.settle.settled,
    netns: o.netns,
    tasks: c.tasks,
    runs: c.runs,
    attempts: c.attempts,
    lost_attempts: c.attemptsByStatus.lost ?? 0,
    runs_by_status: c.runsByStatus,
    tasks_by_status: c.tasksByStatus,
    faults,
    faults_skipped: o.faults.filter((f) => f.skipped).length,
    lost_tasks: c.lostTasks,
    duplicate_fires: c.schedules.duplicateFires + c.events.duplicateFires,
    missing_fires: c.schedules.missing + c.events.missing,
    stale_completions_accepted: c.staleCompletionsAccepted,
    stuck_tasks: c.stuckTasks,
    stuck_runs: c.stuckRuns,
    duplicate_executions: c.duplicateExecutions,
    unrecorded_duplicates: c.unrecordedDuplicates,
    missing_side_effects: c.missingEffects,
    late_lost_effects: c.lateLostEffects.length,
    recovery_p50_s: round(percentile(seconds, 50)),
    recovery_max_s: round(seconds.length ? Math.max(...seconds) : null),
    schedules: c.schedules,
    events: c.events,
    logs: { attempts: c.logs.attempts, with_marker: c.logs.withMarker },
    attempts_failed_unstarted: c.logs.failedUnstarted.length,
    notes: [
      ...c.logs.failedUnstarted
        .slice(0, 10)
        .map((a) => `failed by the engine, not by its process: ${a}`),
      ...c.lateLostEffects.slice(0, 10),
    ],
    submissions: o.submissions,
    fault_log: o.faults.map((f, i) => ({
      t_s: Math.round((f.at - o.workloadStartedAt) / 100) / 10,
      kind: f.kind,
      target: f.target,
      detail: f.detail,
      affected: o.recoveries[i]?.affected ?? f.affected.length,
      recovery_s: round(o.recoveries[i]?.seconds ?? null),
      unrecovered: o.recoveries[i]?.unrecovered ?? 0,
      ...(o.recoveries[i]?.slowest
        ? {
            slowest: `run ${o.recoveries[i]!.slowest!.runId} task ${o.recoveries[i]!.slowest!.task}: ${o.recoveries[i]!.slowest!.how}`,
          }
        : {}),
      ...(f.skipped ? { skipped: f.skipped } : {}),
    })),
    violation_counts: c.violationCounts,
    violations: [...o.extraViolations, ...c.violations],
  };
}

export function writeReport(file: string, report: ChaosReport): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

export function formatReport(r: ChaosReport): string {
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const s = (n: number | null) => (n === null ? '–' : `${n.toFixed(1)} s`);
  const lines = [
    `chaos (${r.mode}), seed ${r.seed}: ${r.workload_s} s of workload, settled ${r.settled ? `in ${r.settle_s} s` : `NOT within ${r.settle_s} s`}`,
    `  network namespace   ${r.netns}`,
    `  runs                ${r.runs} (${kv(r.runs_by_status)})`,
    `  tasks               ${r.tasks} (${kv(r.tasks_by_status)})`,
    `  attempts            ${r.attempts} (lost ${r.lost_attempts})`,
    `  submissions         ${r.submissions.total} (${r.submissions.retried} retried through an outage, ${r.submissions.unanswered} unanswered)`,
    `  schedules           ${r.schedules.count} × every second: ${r.schedules.instants} instants, ${r.schedules.runs} runs, ${r.schedules.duplicateFires} duplicate, ${r.schedules.missing} missing`,
    `  events / webhooks   ${r.events.published} events, ${r.events.webhooks} deliveries, ${r.events.runs} runs, ${r.events.duplicateFires} duplicate, ${r.events.missing} missing`,
    `  logs                ${r.logs.attempts} completed attempts checked (${r.logs.with_marker} with a truncation marker)`,
    `  attempts failed by the engine before an exit code: ${r.attempts_failed_unstarted}`,
    `  faults              ${kv(r.faults)}${r.faults_skipped ? ` (${r.faults_skipped} skipped)` : ''}`,
  ];
  for (const f of r.fault_log)
    lines.push(
      `    t+${f.t_s.toFixed(1).padStart(6)} s  ${f.kind.padEnd(12)} ${(f.target ?? '').padEnd(12)} ` +
        (f.skipped
          ? `skipped: ${f.skipped}`
          : `${f.detail}; ${f.affected} affected, recovered ${s(f.recovery_s)}` +
            (f.unrecovered ? `, ${f.unrecovered} NOT recovered` : '') +
            // A slow one says which task held it up, and how its wait ended.
            (f.slowest && (f.recovery_s ?? 0) > 30 ? ` (slowest: ${f.slowest})` : '')),
    );
  lines.push(
    `  recovery            p50 ${s(r.recovery_p50_s)}, max ${s(r.recovery_max_s)}`,
    `  lost tasks ${r.lost_tasks}, stuck tasks ${r.stuck_tasks} (runs ${r.stuck_runs}), stale completions accepted ${r.stale_completions_accepted}`,
    `  duplicate fires ${r.duplicate_fires}, missing fires ${r.missing_fires}, missing side effects ${r.missing_side_effects}`,
    `  duplicate executions ${r.duplicate_executions} (each a recorded lost attempt), unrecorded duplicates ${r.unrecorded_duplicates}`,
    `  lost attempts that did their work after being declared lost: ${r.late_lost_effects}`,
  );
  for (const n of r.notes) lines.push(`  note: ${n}`);
  if (r.violations.length) {
    lines.push(`  VIOLATIONS (${kv(r.violation_counts as Record<string, number>)}):`);
    for (const v of r.violations) lines.push(`    ✗ [${v.check}] ${v.message}`);
  } else {
    lines.push('  no violations');
  }
  return lines.join('\n');
}
