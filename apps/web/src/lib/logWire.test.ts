import { describe, expect, it } from 'vitest';
import { compactLines, expandLines } from './logWire';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, 0, ms)).toISOString();

describe('compact log lines', () => {
  it('round-trips lines with runs of streams and times', () => {
    const lines = [
      { line: 7, text: 'one', stream: 'stdout', time: at(0) },
      { line: 8, text: '', stream: 'stdout', time: at(0) },
      { line: 9, text: 'two \x1b[31mred\x1b[0m', stream: 'stderr', time: at(0) },
      { line: 10, text: 'ünï', stream: 'stdout', time: at(5) },
    ];
    const c = compactLines(lines);
    expect(c).toEqual({
      first: 7,
      text: 'one\n\ntwo \x1b[31mred\x1b[0m\nünï',
      streams: [
        [2, 'stdout'],
        [1, 'stderr'],
        [1, 'stdout'],
      ],
      times: [
        [3, at(0)],
        [1, at(5)],
      ],
    });
    expect(expandLines(JSON.parse(JSON.stringify(c)))).toEqual(lines);
  });

  it('refuses parts that do not agree', () => {
    const base = { first: 0, text: 'a\nb', streams: [[2, 'stdout']], times: [[2, 't']] };
    expect(expandLines(base as never)).toHaveLength(2);
    expect(expandLines({ ...base, streams: [[1, 'stdout']] } as never)).toBeNull();
    expect(expandLines({ ...base, times: [[3, 't']] } as never)).toBeNull();
    expect(
      expandLines({
        ...base,
        times: [
          [0, 't'],
          [2, 't'],
        ],
      } as never),
    ).toBeNull();
    expect(expandLines({ ...base, streams: [['2', 'stdout']] } as never)).toBeNull();
    expect(expandLines({ ...base, first: 1.5 } as never)).toBeNull();
    expect(expandLines({ ...base, text: 3 } as never)).toBeNull();
  });
});
