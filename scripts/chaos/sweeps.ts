/**
 * A worker declared lost must have been lost: each sweep follows a fault aimed at that worker
 * (killed, stopped, cut off) or its crash. A sweep with no such cause is a busy but healthy worker
 * declared lost (heartbeats starved by task work, the CPU load or a long GC), whose running tasks
 * were retried elsewhere for nothing.
 */
import type { ChildExit } from './cluster';
import type { FaultRecord } from './faults';
import type { Sweep } from './monitor';

/** Faults that silence a worker: the sweeps they may cause. */
const SILENCING = new Set(['worker_kill', 'worker_stop', 'partition']);

export function unexplainedSweeps(
  sweeps: readonly Sweep[],
  faults: readonly FaultRecord[],
  exits: readonly ChildExit[],
  /** How long after its cause a sweep may come: the lost timeout, a sweep interval, slack. */
  withinMs: number,
): string[] {
  const causes = [
    ...faults
      .filter((f) => SILENCING.has(f.kind) && f.target && !f.skipped)
      .map((f) => ({ name: f.target!, from: f.at, to: f.endedAt })),
    ...exits.map((e) => ({ name: e.name, from: e.at, to: e.at })),
  ];
  return sweeps
    .filter((s) => {
      // A run record read back from JSON holds the time as a string.
      const at = new Date(s.sweptAt).getTime();
      return !causes.some((c) => c.name === s.workerName && c.from <= at && at <= c.to + withinMs);
    })
    .map((s) => {
      const around = faults
        .filter((f) => Math.abs(f.at - new Date(s.sweptAt).getTime()) < withinMs)
        .map((f) => `${f.kind}${f.target ? ` ${f.target}` : ''}`);
      return (
        `worker ${s.workerName} (${s.workerId}) was declared lost at ` +
        `${new Date(s.sweptAt).toISOString()} with no fault aimed at it or crash before` +
        (around.length ? ` (faults around then: ${around.join(', ')})` : '')
      );
    });
}
