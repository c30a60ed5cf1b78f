import { describe, expect, it } from 'vitest';
import { Batcher } from '../src/engine/batcher';

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('Batcher', () => {
  it('sends a lone call at once and coalesces calls that arrive while it is in flight', async () => {
    const calls: string[][] = [];
    const gate = deferred<void>();
    const batcher = new Batcher<string, string>(async (key, items) => {
      calls.push([key, ...items]);
      if (calls.length === 1) await gate.promise;
      return items.map((i) => i.toUpperCase());
    }, 10);
    const first = batcher.submit('k', 'a');
    expect(calls).toEqual([['k', 'a']]);
    const rest = [batcher.submit('k', 'b'), batcher.submit('k', 'c'), batcher.submit('j', 'd')];
    gate.resolve();
    expect(await Promise.all([first, ...rest])).toEqual(['A', 'B', 'C', 'D']);
    expect(calls).toEqual([
      ['k', 'a'],
      ['j', 'd'],
      ['k', 'b', 'c'],
    ]);
  });

  it('caps a batch at maxBatch', async () => {
    const sizes: number[] = [];
    const gate = deferred<void>();
    const batcher = new Batcher<number, number>(async (_key, items) => {
      sizes.push(items.length);
      if (sizes.length === 1) await gate.promise;
      return items;
    }, 3);
    const all = Array.from({ length: 8 }, (_, i) => batcher.submit('k', i));
    gate.resolve();
    expect(await Promise.all(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(sizes).toEqual([1, 3, 3, 1]);
  });

  it('retries the members of a failed batch one by one, so one bad input fails alone', async () => {
    const gate = deferred<void>();
    let calls = 0;
    const batcher = new Batcher<number, number>(async (_key, items) => {
      calls += 1;
      if (calls === 1) await gate.promise;
      if (items.includes(13)) throw new Error('unlucky');
      return items.map((i) => i * 2);
    }, 10);
    const first = batcher.submit('k', 1);
    const good = batcher.submit('k', 2);
    const bad = batcher.submit('k', 13);
    gate.resolve();
    expect(await first).toBe(2);
    expect(await good).toBe(4);
    await expect(bad).rejects.toThrow('unlucky');
    // A later call still goes through: the key's queue was released.
    expect(await batcher.submit('k', 5)).toBe(10);
  });
});

describe('Batcher with a linger', () => {
  it('holds a lone call for the linger and sends what arrived meanwhile with it', async () => {
    const calls: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (_key, items) => {
        calls.push(items);
        return items;
      },
      10,
      () => 20,
    );
    const first = batcher.submit('k', 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual([]);
    const second = batcher.submit('k', 2);
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(calls).toEqual([[1, 2]]);
  });
});
