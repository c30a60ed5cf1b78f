import { describe, expect, it } from 'vitest';
import type { CompleteAttemptInput, CompleteAttemptResult } from '@dtss/db';
import { PendingCompletions } from '../src/engine/pendingCompletions';

const input = (n: number): CompleteAttemptInput => ({
  attemptId: `a${n}`,
  taskRunId: `t${n}`,
  runId: 'r',
  outcome: 'succeeded',
  output: { n },
});
const applied: CompleteAttemptResult = { applied: true, taskStatus: 'succeeded', runStatus: null };

describe('PendingCompletions', () => {
  it('records in the background: add returns at once, settle waits for the writes', async () => {
    const written: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const pending = new PendingCompletions(
      async (i) => {
        await gate;
        written.push(i.attemptId);
        return applied;
      },
      () => {},
      8,
    );
    void pending.add(input(1));
    void pending.add(input(2));
    expect(pending.size).toBe(2);
    expect(written).toEqual([]);
    const settled = pending.settle(5_000);
    release();
    expect(await settled).toBe(0);
    expect(written).toEqual(['a1', 'a2']);
  });

  it('holds at most `limit` results unrecorded: add waits for room', async () => {
    const releases: (() => void)[] = [];
    const pending = new PendingCompletions(
      () => new Promise<CompleteAttemptResult>((resolve) => releases.push(() => resolve(applied))),
      () => {},
      2,
    );
    await pending.add(input(1));
    await pending.add(input(2));
    let third = false;
    const adding = pending.add(input(3)).then(() => (third = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false);
    releases[0]!();
    await adding;
    expect(pending.size).toBe(2);
    releases.slice(1).forEach((release) => release());
    expect(await pending.settle(1_000)).toBe(0);
  });

  it('retries a failed write, then records the attempt as failed without its result', async () => {
    const tries: CompleteAttemptInput[] = [];
    const logged: string[] = [];
    const pending = new PendingCompletions(
      async (i) => {
        tries.push(i);
        if (tries.length <= 3) throw new Error('value too long');
        return applied;
      },
      (line) => logged.push(line),
      8,
      [1],
    );
    void pending.add(input(1));
    expect(await pending.settle(5_000)).toBe(0);
    expect(tries.map((t) => t.outcome)).toEqual(['succeeded', 'succeeded', 'succeeded', 'failed']);
    expect(tries[3]).not.toHaveProperty('output');
    expect(tries[3]!.error).toMatch(/could not record this attempt's result: value too long/);
    expect(logged).toHaveLength(3);
  });

  it('gives up on stop: settle reports what is left unrecorded', async () => {
    const pending = new PendingCompletions(
      async () => {
        throw new Error('connection refused');
      },
      () => {},
      8,
      [10],
    );
    void pending.add(input(1));
    expect(await pending.settle(50)).toBe(1);
  });
});
