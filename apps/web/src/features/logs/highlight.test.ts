import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi';
import { highlight } from './highlight';
import { matchRanges } from './logLines';

const compact = (text: string, query: string, current = -1) =>
  highlight(
    parseAnsi(text),
    matchRanges(
      parseAnsi(text)
        .map((s) => s.text)
        .join(''),
      query,
    ),
    current,
  ).map((p) => [p.text, p.mark, p.style.fg ?? null]);

describe('highlight', () => {
  it('leaves a line without matches as its segments', () => {
    expect(compact('hello', 'zzz')).toEqual([['hello', 0, null]]);
  });

  it('cuts a plain line around its matches', () => {
    expect(compact('an error and an Error', 'error')).toEqual([
      ['an ', 0, null],
      ['error', 1, null],
      [' and an ', 0, null],
      ['Error', 1, null],
    ]);
  });

  it('marks the current match', () => {
    expect(compact('ab ab', 'ab', 1)).toEqual([
      ['ab', 1, null],
      [' ', 0, null],
      ['ab', 2, null],
    ]);
  });

  it('splits a match across styled segments, keeping each colour', () => {
    // "ERROR" is red, ": disk" plain; the match "or: d" spans both.
    expect(compact('\x1b[31mERROR\x1b[0m: disk', 'or: d')).toEqual([
      ['ERR', 0, 1],
      ['OR', 1, 1],
      [': d', 1, null],
      ['isk', 0, null],
    ]);
  });

  it('handles a match at the very start and end', () => {
    expect(compact('abc', 'abc')).toEqual([['abc', 1, null]]);
  });
});
