/**
 * One attempt of one task, from the job's arrival to its completion transaction: claim, render,
 * execute, ship logs, decide retry, complete. Task failures are outcomes, never thrown; only
 * infrastructure errors (database unreachable) throw, so graphile-worker retries the job.
 */
import {
  renderTask,
  retryDelayMs,
  shouldRetry,
  type JsonValue,
  type NormalizedTask,
  type TemplateContext,
} from '@dtss/core';
import {
  claimTaskWithinPoolLimit,
  endsTask,
  loadVersion,
  readTaskOutputs,
  resolveSecrets,
  type ClaimedTask,
  type CompleteAttemptInput,
  type CompleteAttemptResult,
  type Pool,
} from '@dtss/db';
import { attemptEndSpans, type SpanSink } from '@dtss/db/tracing';
import { getExecutor } from '../executors';
import type { EngineMetrics } from '../metrics/workerMetrics';
import type { BatchedCalls } from './batchedCalls';
import type { PendingCompletions } from './pendingCompletions';
import type { ExecutionResult } from '../executors/types';
import { LogShipper } from '../logs/logShipper';
import type { PoolLimits } from './poolLimits';
import type { RunningTasks, StopReason } from './runningTasks';
import { referencedTasks, taskEnvironment } from './taskEnvironment';
import { waitForDatabase } from './waitForDatabase';

export interface EngineDeps {
  pool: Pool;
  workerId: string;
  running: RunningTasks;
  secretsKey: string | undefined;
  logMaxBytes: number;
  poolLimits: PoolLimits;
  calls: BatchedCalls;
  /** Where completions that end their task are recorded, after the handler returns. */
  completions: PendingCompletions;
  /** A log line, with the ids it concerns (runId, taskKey, attemptId, taskRunId). */
  log: (line: string, ids?: Record<string, string>) => void;
  /** In-memory counters of the process's /metrics (none in tests that do not scrape). */
  metrics?: EngineMetrics;
  /** Where spans go, only when tracing is enabled (OTEL_EXPORTER_OTLP_ENDPOINT). */
  tracing?: SpanSink;
}

/** What the metrics of one attempt are labelled with, and when it started. */
interface AttemptMeta {
  pool: string;
  kind: string;
  workflow: string;
  triggerKind: string;
  startedAt: number;
}

export async function runTask(
  deps: EngineDeps,
  taskRunId: string,
  poolName: string,
  /** graphile-worker delivers this job for the first time. */
  firstDelivery = false,
): Promise<void> {
  const { pool } = deps;
  // Registered before the claim, so a cancel that races the claim still reaches this attempt.
  const signal = deps.running.add(taskRunId);
  try {
    const slots = deps.poolLimits.slotsFor(poolName);
    const claimed =
      slots === null
        ? await deps.calls.claim(taskRunId, firstDelivery)
        : await claimTaskWithinPoolLimit(pool, taskRunId, deps.workerId, poolName, slots);
    if (claimed === 'refused') {
      deps.log(
        `claim of task ${taskRunId} refused: this worker is declared lost until a heartbeat gets ` +
          'through; the task was given back to the queue',
        { taskRunId },
      );
      return;
    }
    // null: cancelled, or finished by an earlier delivery of this job; deferred: the pool is full.
    if (!claimed || claimed === 'deferred') return;
    const startedAt = performance.now();
    deps.metrics?.taskClaimed(poolName, claimed.queueWaitSeconds);
    deps.running.setAttempt(taskRunId, claimed.attemptId);
    const version = await waitForDatabase(
      () => loadVersion(pool, claimed.workflowVersionId),
      signal,
      attemptLog(deps, claimed),
      `attempt ${claimed.attemptId}: its workflow version`,
    );
    const task = version.definition.tasks[claimed.taskKey];
    const meta: AttemptMeta = {
      pool: poolName,
      kind: task?.kind ?? 'unknown',
      workflow: version.workflowName,
      triggerKind: claimed.triggerKind,
      startedAt,
    };
    if (!task) {
      await finish(
        deps,
        meta,
        claimed,
        null,
        {
          outcome: 'failed',
          error: `task "${claimed.taskKey}" is not in version ${version.version}`,
        },
        signal,
      );
      return;
    }
    if (task.kind === 'noop' && !JSON.stringify(task.result).includes('{{')) {
      // The engine's own cost, measured by benchmarks: no rendering, no process, no log shipping.
      const output = task.result ?? undefined;
      await finish(
        deps,
        meta,
        claimed,
        task,
        { outcome: 'succeeded', ...(output !== undefined ? { output } : {}) },
        signal,
      );
      return;
    }
    const result = await execute(
      deps,
      claimed,
      task,
      version.workflowName,
      version.version,
      signal,
    );
    deps.metrics?.logClosed(poolName, result.log);
    await finish(deps, meta, claimed, task, result.result, signal, result.log);
  } finally {
    deps.running.delete(taskRunId);
  }
}

async function execute(
  deps: EngineDeps,
  claimed: ClaimedTask,
  task: NormalizedTask,
  workflowName: string,
  versionNumber: number,
  signal: AbortSignal,
): Promise<{ result: ExecutionResult; log: { bytes: number; lines: number; truncated: boolean } }> {
  const { pool } = deps;
  const secretNames = Object.values(task.secrets);
  const secrets = secretNames.length
    ? await waitForDatabase(
        () => resolveSecrets(pool, claimed.teamId, secretNames, requireKey(deps.secretsKey)),
        signal,
        attemptLog(deps, claimed),
        `attempt ${claimed.attemptId}: its secrets`,
      )
    : { values: {}, missing: [] };
  const shipper = new LogShipper(pool, {
    attemptId: claimed.attemptId,
    taskRunId: claimed.taskRunId,
    runId: claimed.runId,
    maxBytes: deps.logMaxBytes,
    secrets: Object.values(secrets.values),
  });
  let result: ExecutionResult;
  try {
    if (secrets.missing.length) throw new Error(`missing secrets: ${secrets.missing.join(', ')}`);
    const outputs = await waitForDatabase(
      () => readTaskOutputs(pool, claimed.runId, referencedTasks(task)),
      signal,
      attemptLog(deps, claimed),
      `attempt ${claimed.attemptId}: its upstream outputs`,
    );
    const context: TemplateContext = {
      params: claimed.params,
      tasks: Object.fromEntries(
        Object.entries(outputs).map(([k, v]) => [
          k,
          { output: v.output ?? undefined, status: v.status },
        ]),
      ),
      run: {
        id: claimed.runId,
        logical_date: claimed.logicalDate.toISOString(),
        trigger: claimed.triggerKind,
      },
      workflow: { name: workflowName, version: versionNumber },
      task: { id: claimed.taskKey, attempt: claimed.attemptNumber },
      ...(claimed.event ? { event: claimed.event } : {}),
    };
    const rendered = renderTask(task, context);
    const upstream: Record<string, JsonValue | null> = {};
    for (const key of task.needs) upstream[key] = outputs[key]?.output ?? null;
    const env = taskEnvironment(
      rendered,
      {
        runId: claimed.runId,
        attemptId: claimed.attemptId,
        runNumber: claimed.runNumber,
        workflowName,
        taskKey: claimed.taskKey,
        attemptNumber: claimed.attemptNumber,
        logicalDate: claimed.logicalDate,
        params: claimed.params,
        upstream,
      },
      secrets.values,
    );
    shipper.write(
      'system',
      `attempt ${claimed.attemptNumber} of ${task.retries.maxAttempts} on worker ${deps.workerId}`,
    );
    result = await getExecutor(task.kind).execute({
      task: rendered,
      env,
      workingDir: rendered.workingDir,
      timeoutMs: rendered.timeoutMs,
      signal,
      log: (stream, line) => shipper.write(stream, line),
      logBackpressure: shipper,
    });
  } catch (err) {
    result = { outcome: 'failed', error: (err as Error).message };
    shipper.write('system', `error: ${result.error}`);
  }
  // A disowned attempt's lines are not its log any more (the database would refuse them anyway).
  if (signal.reason === 'disowned') return { result, log: shipper.discard() };
  if (result.outcome !== 'succeeded' && result.error) shipper.write('system', result.error);
  const log = await shipper.close();
  return { result, log };
}

async function finish(
  deps: EngineDeps,
  meta: AttemptMeta,
  claimed: ClaimedTask,
  task: NormalizedTask | null,
  result: ExecutionResult,
  signal: AbortSignal,
  log?: { bytes: number; lines: number; truncated: boolean },
): Promise<void> {
  // From here the database decides whether the result still counts (the heartbeat's ownership
  // check leaves the attempt alone).
  deps.running.setAttempt(claimed.taskRunId, null);
  const stopReason = signal.aborted ? (signal.reason as StopReason) : null;
  // Its outcome was decided elsewhere (swept as lost): nothing to record, nothing to retry.
  if (stopReason === 'disowned') return;
  const outcome = stopReason === 'cancelled' ? 'cancelled' : result.outcome;
  let retryDelay: number | null = null;
  if (task && !stopReason && (outcome === 'failed' || outcome === 'timed_out')) {
    const failure = {
      ...(result.exitCode != null ? { exitCode: result.exitCode } : {}),
      ...(result.httpStatus != null ? { httpStatus: result.httpStatus } : {}),
      timedOut: outcome === 'timed_out',
    };
    if (shouldRetry(task.retries, claimed.attemptNumber, failure)) {
      retryDelay = retryDelayMs(task.retries, claimed.attemptNumber);
    }
  }
  const input: CompleteAttemptInput = {
    attemptId: claimed.attemptId,
    taskRunId: claimed.taskRunId,
    runId: claimed.runId,
    outcome,
    exitCode: result.exitCode ?? null,
    httpStatus: result.httpStatus ?? null,
    error: stopReason === 'cancelled' ? 'cancelled' : (result.error ?? null),
    ...(result.output !== undefined ? { output: result.output } : {}),
    ...(log ? { log } : {}),
    retryDelayMs: retryDelay,
    requeue: stopReason === 'requeue',
    leaf: claimed.leaf,
  };
  const seconds = (performance.now() - meta.startedAt) / 1000;
  const recorded = (recorded: CompleteAttemptInput, result: CompleteAttemptResult) => {
    if (!result.applied) return;
    const ended = endsTask(recorded);
    if (deps.tracing)
      traceAttempt(deps, deps.tracing, recorded.attemptId, ended, !!result.runStatus);
    if (!deps.metrics) return;
    deps.metrics.attemptRecorded({
      pool: meta.pool,
      kind: meta.kind,
      status: recorded.requeue ? 'handed_back' : recorded.outcome,
      seconds,
      endedTask: ended,
      retried: !ended && !recorded.requeue,
      workflow: meta.workflow,
    });
    if (result.runStatus) {
      deps.metrics.runFinished(claimed.runId, result.runStatus, meta.triggerKind);
    }
  };
  // Retries and hand-backs re-enqueue the task: done before the job is released, as before.
  if (endsTask(input)) await deps.completions.add(input, recorded);
  else recorded(input, await deps.calls.complete(input));
}

/** Emits the spans this recorded attempt ended (read after its commit; never delays the engine). */
function traceAttempt(
  deps: EngineDeps,
  sink: SpanSink,
  attemptId: string,
  task: boolean,
  run: boolean,
): void {
  attemptEndSpans(deps.pool, attemptId, { task, run }).then(
    (spans) => sink.emit(spans),
    (err: Error) =>
      deps.log(`tracing: spans of attempt ${attemptId} not read: ${err.message}`, { attemptId }),
  );
}

/** Log lines about one attempt, carrying its ids. */
function attemptLog(deps: EngineDeps, claimed: ClaimedTask): (line: string) => void {
  const ids = { runId: claimed.runId, taskKey: claimed.taskKey, attemptId: claimed.attemptId };
  return (line) => deps.log(line, ids);
}

function requireKey(key: string | undefined): string {
  if (!key)
    throw new Error('DTSS_SECRETS_KEY is not set on this worker: it cannot decrypt secrets');
  return key;
}
