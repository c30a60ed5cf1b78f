import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lineSplitter';

function split(chunks: (string | Buffer)[], opts = {}) {
  const lines: [string, number][] = [];
  const s = new LineSplitter((line, cut) => lines.push([line, cut]), opts);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c) : c);
  s.end();
  return lines;
}

describe('LineSplitter', () => {
  it('joins lines across chunks, strips \\r\\n, keeps a last partial line', () => {
    expect(split(['a\nb', 'c\r\n', '\n', 'tail'])).toEqual([
      ['a', 0],
      ['bc', 0],
      ['', 0],
      ['tail', 0],
    ]);
    expect(split(['x\n'])).toEqual([['x', 0]]);
  });

  it('keeps a multi-byte character split between chunks', () => {
    const bytes = Buffer.from('héllo\n');
    expect(split([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual([['héllo', 0]]);
  });

  it('cuts a long line and counts what it dropped, across chunks', () => {
    const lines = split(['abcdef', 'ghij\nok\n'], { maxLineChars: 4 });
    expect(lines).toEqual([
      ['abcd', 6],
      ['ok', 0],
    ]);
    expect(split(['abcdefgh\n'], { maxLineChars: 4 })).toEqual([['abcd', 4]]);
  });

  it('lets lines with the long prefix grow to their own limit', () => {
    const opts = { maxLineChars: 4, longLine: { prefix: '::o', maxChars: 8 } };
    expect(split(['::', 'o12345678\nabcdef\n'], opts)).toEqual([
      ['::o12345', 3],
      ['abcd', 2],
    ]);
  });
});
