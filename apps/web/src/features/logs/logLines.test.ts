import { describe, expect, it } from 'vitest';
import type { WireLine } from './logEvents';
import {
  firstMatchFrom,
  LogLines,
  matchRanges,
  MAX_MATCHES,
  NO_SEARCH,
  occurrenceInRow,
  searchLines,
} from './logLines';

const wire = (line: number, text = `line ${line}`, stream = 'stdout'): WireLine => ({
  line,
  text,
  stream,
  time: '2026-12-06T10:00:00.000Z',
});
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => wire(from + i));
const numbers = (store: LogLines) => store.all().map((l) => l.line);

describe('LogLines', () => {
  it('appends lines in order and strips ANSI for search and download', () => {
    const store = new LogLines();
    expect(store.append([wire(0, '\x1b[31mred\x1b[0m'), wire(1, 'plain')])).toBe(2);
    expect(store.length).toBe(2);
    expect(store.at(0)).toMatchObject({ line: 0, text: '\x1b[31mred\x1b[0m', plain: 'red' });
    expect(store.at(1)?.plain).toBe('plain');
  });

  it('drops lines it already holds (a replay after a fresh reconnect)', () => {
    const store = new LogLines();
    store.append(range(0, 5));
    expect(store.append(range(0, 8))).toBe(3);
    expect(numbers(store)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(store.append(range(3, 6))).toBe(0);
    expect(store.reorders).toBe(0);
  });

  it('drops duplicates inside one batch', () => {
    const store = new LogLines();
    expect(store.append([wire(0), wire(1), wire(1), wire(0)])).toBe(2);
    expect(numbers(store)).toEqual([0, 1]);
  });

  it('keeps lines sorted when one arrives late, and says that indexes moved', () => {
    const store = new LogLines();
    store.append([wire(0), wire(1), wire(4), wire(5)]);
    expect(store.append([wire(2), wire(3), wire(6)])).toBe(3);
    expect(numbers(store)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(store.reorders).toBe(2);
    expect(store.indexOfLine(4)).toBe(4);
    expect(store.indexOfLine(9)).toBe(-1);
  });

  it('appends 100k lines in well under a second', () => {
    const store = new LogLines();
    const started = performance.now();
    for (let from = 0; from < 100_000; from += 1_000) store.append(range(from, from + 1_000));
    expect(store.length).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('search', () => {
  const store = new LogLines();
  store.append([
    wire(0, 'Starting job'),
    wire(1, '\x1b[31mERROR\x1b[0m: disk full'),
    wire(2, 'error again, and ERROR'),
    wire(3, 'done'),
  ]);

  it('matches case-insensitively on the stripped text, one entry per match', () => {
    const result = searchLines(store, 'error');
    expect(result.rows).toEqual([1, 2, 2]);
    expect(result.capped).toBe(false);
  });

  it('matches the query literally, not as a regular expression', () => {
    const s = new LogLines();
    s.append([wire(0, 'a.b'), wire(1, 'axb'), wire(2, '(x)'), wire(3, '[31m')]);
    expect(searchLines(s, 'a.b').rows).toEqual([0]);
    expect(searchLines(s, '(x)').rows).toEqual([2]);
  });

  it('does not match escape sequences themselves', () => {
    expect(searchLines(store, '[31m').rows).toEqual([]);
  });

  it('returns no result for an empty query', () => {
    expect(searchLines(store, '')).toBe(NO_SEARCH);
  });

  it('scans only the lines appended since the previous result', () => {
    const s = new LogLines();
    s.append([wire(0, 'foo'), wire(1, 'bar')]);
    const first = searchLines(s, 'foo');
    expect(searchLines(s, 'foo', first)).toBe(first);
    s.append([wire(2, 'foo foo')]);
    // Prove it is incremental: a previous result with a made-up row is extended, not redone.
    const extended = searchLines(s, 'foo', { ...first, rows: [99] });
    expect(extended.rows).toEqual([99, 2, 2]);
    expect(extended.scanned).toBe(3);
  });

  it('starts again for another query, another store, or after a reorder', () => {
    const s = new LogLines();
    s.append([wire(0, 'foo'), wire(2, 'foo')]);
    const before = searchLines(s, 'foo');
    expect(before.rows).toEqual([0, 1]);
    s.append([wire(1, 'foo')]);
    expect(searchLines(s, 'foo', before).rows).toEqual([0, 1, 2]);
    expect(searchLines(s, 'fo', before).rows).toEqual([0, 1, 2]);
    const other = new LogLines();
    other.append([wire(0, 'nothing')]);
    expect(searchLines(other, 'foo', before).rows).toEqual([]);
  });

  it('scans only up to the length it is given', () => {
    const s = new LogLines();
    s.append([wire(0, 'x'), wire(1, 'x')]);
    expect(searchLines(s, 'x', undefined, 1)).toMatchObject({ rows: [0], scanned: 1 });
  });

  it('caps the matches it records', () => {
    const s = new LogLines();
    s.append(Array.from({ length: 1_000 }, (_, i) => wire(i, 'e'.repeat(60))));
    const result = searchLines(s, 'e');
    expect(result.rows.length).toBe(MAX_MATCHES);
    expect(result.capped).toBe(true);
  });

  it('searches 100k lines fast enough to keep typing responsive', () => {
    const s = new LogLines();
    s.append(
      Array.from({ length: 100_000 }, (_, i) =>
        wire(i, `2026-12-06 INFO worker-${i % 7} processed batch ${i} in ${i % 97} ms`),
      ),
    );
    const started = performance.now();
    const result = searchLines(s, 'batch 4242');
    expect(performance.now() - started).toBeLessThan(500);
    expect(result.rows).toEqual([4242, ...Array.from({ length: 10 }, (_, i) => 42420 + i)]);
  });
});

describe('match helpers', () => {
  it('finds non-overlapping ranges', () => {
    expect(matchRanges('aaaa', 'aa')).toEqual([
      [0, 2],
      [2, 4],
    ]);
    expect(matchRanges('Hello hello', 'HELLO')).toEqual([
      [0, 5],
      [6, 11],
    ]);
    expect(matchRanges('x', '')).toEqual([]);
  });

  it('numbers a match within its row', () => {
    const rows = [1, 2, 2, 2, 5];
    expect(occurrenceInRow(rows, 0)).toBe(0);
    expect(occurrenceInRow(rows, 1)).toBe(0);
    expect(occurrenceInRow(rows, 3)).toBe(2);
    expect(occurrenceInRow(rows, 4)).toBe(0);
  });

  it('finds the first match at or after a row, wrapping round', () => {
    const rows = [1, 2, 2, 5];
    expect(firstMatchFrom(rows, 0)).toBe(0);
    expect(firstMatchFrom(rows, 2)).toBe(1);
    expect(firstMatchFrom(rows, 3)).toBe(3);
    expect(firstMatchFrom(rows, 6)).toBe(0);
    expect(firstMatchFrom([], 0)).toBe(-1);
  });
});
