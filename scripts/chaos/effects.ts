/**
 * The side-effect file against the database's attempts: what really ran (each shell task appends
 * `<run id> <task> <attempt> <worker> <ok|fail> <epoch ms>` before it exits) next to what was
 * accepted.
 * Pure, so the rules are unit-tested (scripts/test/chaos-effects.test.ts).
 *
 * - Every succeeded task has the `ok` line of its accepted attempt (no side effect is missing).
 * - Every executed attempt is recorded, on the worker that ran it, with the outcome it had, and
 *   ran on a worker of its task's pool.
 * - A task that did its work more than once (its first worker died after the work) is a duplicate
 *   execution: allowed, but each extra execution must be an attempt recorded as `lost`; any other
 *   is an unrecorded duplicate.
 */

export interface EffectLine {
  runId: string;
  task: string;
  attempt: number;
  worker: string;
  result: 'ok' | 'fail';
  /** When it was written (epoch ms), if the line says. */
  at?: number;
}

export interface AttemptRow {
  runId: string;
  task: string;
  attempt: number;
  status: string;
  /** Name of the worker the database says ran it. */
  worker: string | null;
  /** When it ended (for a lost attempt: when it was declared lost), epoch ms. */
  finishedAt?: number;
}

export interface TaskRow {
  runId: string;
  task: string;
  status: string;
  attemptCount: number;
  pool: string;
}

export interface EffectFinding {
  check: 'side-effects' | 'pools' | 'duplicates';
  message: string;
}

export interface EffectAnalysis {
  lines: number;
  malformed: number;
  /** Extra executions of a task, each on an attempt recorded as lost. */
  duplicateExecutions: number;
  /** Extra executions not recorded as a lost attempt (or executions not recorded at all). */
  unrecordedDuplicates: number;
  /** Succeeded tasks without the side effect of their accepted attempt. */
  missingEffects: number;
  /**
   * Work done by an attempt after it was declared lost (its process ran on, e.g. on a stopped or
   * partitioned worker): allowed (at-least-once), listed for the report.
   */
  lateLostEffects: string[];
  findings: EffectFinding[];
}

export function parseEffects(text: string): { lines: EffectLine[]; malformed: string[] } {
  const lines: EffectLine[] = [];
  const malformed: string[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    const parts = raw.trim().split(' ');
    const attempt = Number(parts[2]);
    const at = parts[5] === undefined ? undefined : Number(parts[5]);
    if (
      (parts.length !== 5 && parts.length !== 6) ||
      (at !== undefined && !Number.isFinite(at)) ||
      !/^[0-9a-f-]{36}$/.test(parts[0]!) ||
      !Number.isInteger(attempt) ||
      attempt < 1 ||
      (parts[4] !== 'ok' && parts[4] !== 'fail')
    ) {
      malformed.push(raw);
      continue;
    }
    lines.push({
      runId: parts[0]!,
      task: parts[1]!,
      attempt,
      worker: parts[3]!,
      result: parts[4] as 'ok' | 'fail',
      ...(at !== undefined ? { at } : {}),
    });
  }
  return { lines, malformed };
}

const taskKey = (runId: string, task: string) => `${runId} ${task}`;

export function analyzeEffects(
  effects: { lines: EffectLine[]; malformed: string[] },
  attempts: AttemptRow[],
  tasks: TaskRow[],
  workerPools: Record<string, readonly string[]>,
): EffectAnalysis {
  const findings: EffectFinding[] = [];
  const attemptOf = new Map(attempts.map((a) => [`${taskKey(a.runId, a.task)} ${a.attempt}`, a]));
  const byTask = new Map<string, EffectLine[]>();
  for (const l of effects.lines) {
    const k = taskKey(l.runId, l.task);
    byTask.set(k, [...(byTask.get(k) ?? []), l]);
  }
  for (const m of effects.malformed.slice(0, 5))
    findings.push({
      check: 'side-effects',
      message: `malformed side-effect line: ${JSON.stringify(m)}`,
    });

  let duplicateExecutions = 0;
  let unrecordedDuplicates = 0;
  let missingEffects = 0;
  const lateLostEffects: string[] = [];
  const describe = (l: EffectLine) => `run ${l.runId} task ${l.task} attempt ${l.attempt}`;

  for (const t of tasks) {
    const k = taskKey(t.runId, t.task);
    const lines = byTask.get(k) ?? [];
    byTask.delete(k);
    const accepted = t.status === 'succeeded' ? t.attemptCount : null;
    const seen = new Map<number, number>();
    for (const l of lines) {
      seen.set(l.attempt, (seen.get(l.attempt) ?? 0) + 1);
      const pools = workerPools[l.worker];
      if (!pools)
        findings.push({
          check: 'side-effects',
          message: `${describe(l)} ran on an unknown worker "${l.worker}"`,
        });
      else if (!pools.includes(t.pool))
        findings.push({
          check: 'pools',
          message: `${describe(l)} (pool ${t.pool}) ran on ${l.worker}, which serves ${pools.join(',')}`,
        });
      const a = attemptOf.get(`${k} ${l.attempt}`);
      if (!a) {
        findings.push({
          check: 'duplicates',
          message: `${describe(l)} ran on ${l.worker} (${l.result}) but no such attempt is recorded (task ${t.status}, ${t.attemptCount} attempts)`,
        });
        continue;
      }
      if (
        a.status === 'lost' &&
        l.at !== undefined &&
        a.finishedAt !== undefined &&
        l.at > a.finishedAt
      )
        lateLostEffects.push(
          `${describe(l)} on ${l.worker} did its work (${l.result}) ${((l.at - a.finishedAt) / 1000).toFixed(1)} s after it was declared lost`,
        );
      if (a.worker !== l.worker)
        findings.push({
          check: 'side-effects',
          message: `${describe(l)} ran on ${l.worker} but is recorded as run by ${a.worker ?? 'no worker'} (${a.status})`,
        });
      if (a.status === 'succeeded' && l.result !== 'ok')
        findings.push({
          check: 'side-effects',
          message: `${describe(l)} failed but was recorded as succeeded`,
        });
      if ((a.status === 'failed' || a.status === 'timed_out') && l.result === 'ok')
        findings.push({
          check: 'duplicates',
          message: `${describe(l)} did its work on ${l.worker} but was recorded as ${a.status}, not lost`,
        });
    }
    for (const [attempt, n] of seen)
      if (n > 1) {
        unrecordedDuplicates += n - 1;
        findings.push({
          check: 'duplicates',
          message: `run ${t.runId} task ${t.task}: attempt ${attempt} executed ${n} times`,
        });
      }
    if (accepted !== null && !lines.some((l) => l.attempt === accepted && l.result === 'ok')) {
      missingEffects++;
      findings.push({
        check: 'side-effects',
        message: `run ${t.runId} task ${t.task} succeeded (attempt ${accepted}) but its side effect is missing`,
      });
    }
    // Executions that did the work: the accepted one is the task's; every other must be lost.
    const done = lines.filter((l) => l.result === 'ok');
    if (
      done.length > 1 ||
      (done.length === 1 && accepted !== null && done[0]!.attempt !== accepted)
    ) {
      const extra = done.filter((l) => l.attempt !== accepted);
      // A task that never succeeded keeps one of its executions as "the" one.
      const keep = accepted === null ? 1 : 0;
      let counted = 0;
      for (const l of extra) {
        const status = attemptOf.get(`${k} ${l.attempt}`)?.status;
        if (status === 'lost') {
          if (counted++ >= keep) duplicateExecutions++;
        } else {
          // Reported line by line above (not recorded, or recorded with another outcome).
          unrecordedDuplicates++;
          if (status === 'succeeded' || status === 'cancelled')
            findings.push({
              check: 'duplicates',
              message: `${describe(l)} did its work and the task ran again, but that attempt is recorded as ${status}, not lost`,
            });
        }
      }
    }
  }
  for (const [k, lines] of byTask)
    findings.push({
      check: 'side-effects',
      message: `${lines.length} side effect(s) of ${k.replace(' ', ' task ')} whose task does not exist`,
    });
  return {
    lines: effects.lines.length,
    malformed: effects.malformed.length,
    duplicateExecutions,
    unrecordedDuplicates,
    missingEffects,
    lateLostEffects,
    findings,
  };
}
