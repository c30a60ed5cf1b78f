import { describe, expect, it } from 'vitest';
import { LineBuffer } from './lineBuffer';

describe('LineBuffer', () => {
  it('takes lines from the front by count and bytes, keeping order and meta', () => {
    const buffer = new LineBuffer();
    for (let i = 0; i < 10_000; i++) buffer.push(`l${i}`, i % 2 ? 'stderr' : 'stdout', 't', 10);
    expect(buffer.bytes).toBe(100_000);
    const first = buffer.take(3, 1_000);
    expect(first.lines).toEqual(['l0', 'l1', 'l2']);
    expect(first.meta).toEqual([
      { t: 't', s: 'stdout' },
      { t: 't', s: 'stderr' },
      { t: 't', s: 'stdout' },
    ]);
    expect(buffer.take(100, 25).lines).toEqual(['l3', 'l4', 'l5']);
    const seen: string[] = [];
    while (buffer.length > 0) seen.push(...buffer.take(777, 1e9).lines);
    expect(seen).toEqual(Array.from({ length: 9_994 }, (_, i) => `l${i + 6}`));
    expect(buffer.bytes).toBe(0);
  });

  it('always takes at least one line, however large', () => {
    const buffer = new LineBuffer();
    buffer.push('big', 'stdout', 't', 5_000);
    expect(buffer.take(10, 10).lines).toEqual(['big']);
  });
});
