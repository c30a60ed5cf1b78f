/**
 * The chaos suite's pure parts: how side effects are matched with recorded attempts (what counts
 * as a duplicate, recorded or not), and the seeded fault schedule.
 */
import { describe, expect, it } from 'vitest';
import { analyzeEffects, parseEffects, type AttemptRow, type TaskRow } from '../chaos/effects';
import { FAULT_KINDS, planFaults, type FaultRecord } from '../chaos/faults';
import type { Sweep } from '../chaos/monitor';
import { unexplainedSweeps } from '../chaos/sweeps';
import { seededRandom } from '../chaos/random';

const RUN = '11111111-2222-3333-4444-555555555555';
const pools = { 'worker-1': ['default', 'alpha'], 'worker-2': ['default'] };
const task = (status: string, attemptCount: number, pool = 'default'): TaskRow => ({
  runId: RUN,
  task: 't',
  status,
  attemptCount,
  pool,
});
const attempt = (n: number, status: string, worker = 'worker-1'): AttemptRow => ({
  runId: RUN,
  task: 't',
  attempt: n,
  status,
  worker,
});
const effects = (...lines: string[]) => parseEffects(lines.map((l) => `${RUN} t ${l}`).join('\n'));

describe('side effects against attempts', () => {
  it('accepts one execution per attempt, the accepted one ok', () => {
    const r = analyzeEffects(
      effects('1 worker-1 fail', '2 worker-2 ok'),
      [attempt(1, 'failed'), attempt(2, 'succeeded', 'worker-2')],
      [task('succeeded', 2)],
      pools,
    );
    expect(r.findings).toEqual([]);
    expect(r).toMatchObject({ duplicateExecutions: 0, unrecordedDuplicates: 0, missingEffects: 0 });
  });

  it('counts work done by a lost attempt as a recorded duplicate', () => {
    const r = analyzeEffects(
      effects('1 worker-1 ok', '2 worker-2 ok'),
      [attempt(1, 'lost'), attempt(2, 'succeeded', 'worker-2')],
      [task('succeeded', 2)],
      pools,
    );
    expect(r.findings).toEqual([]);
    expect(r.duplicateExecutions).toBe(1);
  });

  it('lists work a lost attempt did after it was declared lost', () => {
    const r = analyzeEffects(
      effects('1 worker-1 ok 5000', '2 worker-2 ok 4000'),
      [{ ...attempt(1, 'lost'), finishedAt: 3000 }, attempt(2, 'succeeded', 'worker-2')],
      [task('succeeded', 2)],
      pools,
    );
    expect(r.findings).toEqual([]);
    expect(r.lateLostEffects).toEqual([
      `run ${RUN} task t attempt 1 on worker-1 did its work (ok) 2.0 s after it was declared lost`,
    ]);
  });

  it('reports work recorded as failed, unrecorded executions and doubled attempts', () => {
    const r = analyzeEffects(
      effects('1 worker-1 ok', '2 worker-1 ok', '3 worker-2 ok', '3 worker-2 ok'),
      [attempt(1, 'failed'), attempt(3, 'succeeded', 'worker-2')],
      [task('succeeded', 3)],
      pools,
    );
    expect(r.unrecordedDuplicates).toBe(3);
    expect(r.findings.map((f) => f.message).join('\n')).toMatch(/recorded as failed, not lost/);
    expect(r.findings.map((f) => f.message).join('\n')).toMatch(/no such attempt is recorded/);
    expect(r.findings.map((f) => f.message).join('\n')).toMatch(/attempt 3 executed 2 times/);
  });

  it('reports a missing side effect, a wrong worker and a pool outside the worker', () => {
    const missing = analyzeEffects(
      effects(),
      [attempt(1, 'succeeded')],
      [task('succeeded', 1)],
      pools,
    );
    expect(missing.missingEffects).toBe(1);
    const wrong = analyzeEffects(
      effects('1 worker-2 ok'),
      [attempt(1, 'succeeded', 'worker-1')],
      [task('succeeded', 1, 'alpha')],
      pools,
    );
    expect(wrong.findings.map((f) => f.check).sort()).toEqual(['pools', 'side-effects']);
  });

  it('keeps malformed lines apart', () => {
    const parsed = parseEffects(`${RUN} t 1 worker-1 ok\n${RUN} t 1 worker-1 o\nnonsense\n`);
    expect(parsed.lines).toHaveLength(1);
    expect(parsed.malformed).toHaveLength(2);
  });
});

describe('fault schedule', () => {
  const options = {
    durationMs: 80_000,
    firstAtMs: 10_000,
    tailMs: 5_000,
    counts: Object.fromEntries(FAULT_KINDS.map((k) => [k, 1])) as Record<
      (typeof FAULT_KINDS)[number],
      number
    >,
    gapMs: [1_000, 4_000] as [number, number],
    lostAfterMs: 8_000,
    cpuLoadMs: 30_000,
  };

  it('has one fault of each kind, in order, never overlapping, and stops outlast the timeout', () => {
    for (let seed = 1; seed < 50; seed++) {
      const plan = planFaults(options, seededRandom(seed));
      expect(plan.map((f) => f.kind).sort()).toEqual([...FAULT_KINDS].sort());
      for (let i = 1; i < plan.length; i++) {
        const prev = plan[i - 1]!;
        expect(plan[i]!.at).toBeGreaterThanOrEqual(
          prev.at + (prev.kind === 'cpu_load' ? 0 : prev.holdMs),
        );
      }
      const stop = plan.find((f) => f.kind === 'worker_stop')!;
      expect(stop.holdMs).toBeGreaterThan(options.lostAfterMs);
    }
  });

  it('is the same for the same seed', () => {
    expect(planFaults(options, seededRandom(7))).toEqual(planFaults(options, seededRandom(7)));
  });
});

describe('sweeps of lost workers', () => {
  const fault = (kind: FaultRecord['kind'], target: string | null, at: number, endedAt = at) =>
    ({ kind, target, at, endedAt, detail: '', affected: [] }) satisfies FaultRecord;
  const sweep = (workerName: string, at: number) => ({
    workerId: `id-${workerName}`,
    workerName,
    sweptAt: new Date(at),
  });

  it('accepts a sweep that follows a fault aimed at that worker, or its crash', () => {
    const faults = [fault('worker_stop', 'worker-1', 1_000, 20_000), fault('cpu_load', null, 0)];
    const exits = [{ name: 'worker-3', code: 1, signal: null, at: 50_000 }];
    expect(
      unexplainedSweeps(
        [sweep('worker-1', 28_000), sweep('worker-3', 60_000)],
        faults,
        exits,
        38_000,
      ),
    ).toEqual([]);
  });

  it('flags a healthy worker declared lost: no fault at it, another worker hit, or too late', () => {
    const faults = [fault('worker_kill', 'worker-2', 1_000), fault('cpu_load', null, 2_000)];
    const found = unexplainedSweeps(
      [sweep('worker-1', 9_000), sweep('worker-2', 100_000)],
      faults,
      [],
      38_000,
    );
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/worker-1 .* no fault aimed at it .*cpu_load/);
  });

  it('reads a sweep time given back as a string by a saved run record', () => {
    const saved = JSON.parse(JSON.stringify([sweep('worker-1', 5_000)])) as Sweep[];
    expect(
      unexplainedSweeps(saved, [fault('partition', 'worker-1', 1_000, 3_000)], [], 38_000),
    ).toEqual([]);
  });
});
