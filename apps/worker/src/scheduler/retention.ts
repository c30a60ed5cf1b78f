/**
 * The leader applies each team's retention (packages/db/src/operations/retention.ts): once a pass
 * interval, every team's expired runs, then the expired log lines of the runs kept, batch after
 * batch. Each batch is one short statement, and after one the loop rests several times as long as
 * it took, so retention takes at most a small share of the database while the engine runs beside
 * it (the benchmark's chain40_during_retention_ms holds it to that).
 */
import {
  pruneExpiredLogs,
  pruneExpiredRuns,
  readRetentionTeams,
  RETENTION_BATCH,
  type Pool,
  type RetentionBatchLimits,
} from '@dtss/db';

export interface RetentionOptions {
  isLeader: () => boolean;
  /** Between passes. */
  intervalMs: number;
  log: (line: string) => void;
  /** After a batch that took t ms, rest restFactor × t ms (and at least minRestMs). */
  restFactor?: number;
  minRestMs?: number;
  limits?: RetentionBatchLimits;
}

export interface RetentionPass {
  teams: number;
  logRuns: number;
  logChunks: number;
  runs: number;
  tasks: number;
}

export function startRetention(pool: Pool, opts: RetentionOptions): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    if (!opts.isLeader()) {
      timer = setTimeout(tick, opts.intervalMs);
      return;
    }
    applyRetention(pool, { ...opts, isLeader: () => !stopped && opts.isLeader() })
      .then(
        (pass) => {
          if (pass.logChunks || pass.runs) {
            opts.log(
              `retention: log lines of ${pass.logRuns} runs (${pass.logChunks} chunks) and ` +
                `${pass.runs} runs (${pass.tasks} tasks) pruned`,
            );
          }
        },
        (e: Error) => opts.log(`retention: ${e.message}`),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, opts.intervalMs);
      });
  };
  timer = setTimeout(tick, opts.intervalMs);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}

/** One pass over every team; stops early when this process stops leading. */
export async function applyRetention(pool: Pool, opts: RetentionOptions): Promise<RetentionPass> {
  const limits = opts.limits ?? RETENTION_BATCH;
  const restFactor = opts.restFactor ?? 4;
  const minRestMs = opts.minRestMs ?? 10;
  const pass: RetentionPass = { teams: 0, logRuns: 0, logChunks: 0, runs: 0, tasks: 0 };
  const paced = async <T>(batch: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await batch();
    const took = performance.now() - started;
    await new Promise((r) => setTimeout(r, Math.max(minRestMs, took * restFactor)));
    return result;
  };
  for (const team of await readRetentionTeams(pool)) {
    pass.teams++;
    // Whole runs first: their log lines go with them, so the log pass has less to read.
    while (team.runRetentionDays !== null && opts.isLeader()) {
      const r = await paced(() => pruneExpiredRuns(pool, team.id, limits));
      pass.runs += r.runs;
      pass.tasks += r.tasks;
      if (r.runs === 0) break;
    }
    while (team.logRetentionDays !== null && opts.isLeader()) {
      const r = await paced(() => pruneExpiredLogs(pool, team.id, limits));
      pass.logRuns += r.runs;
      pass.logChunks += r.chunks;
      if (r.runs === 0) break;
    }
  }
  return pass;
}
