// Search matches laid over a line's styled segments: each segment is cut at match boundaries so a
// match keeps the colours of the text it covers. Offsets are in the ANSI-stripped text, which is
// exactly the segments' texts joined (see ansi.ts).
import type { AnsiSegment, AnsiStyle } from './ansi';

/** 0: not a match; 1: a match; 2: the current match (the one next/previous moved to). */
export type MarkKind = 0 | 1 | 2;

export interface Piece {
  text: string;
  style: AnsiStyle;
  mark: MarkKind;
}

/**
 * `ranges`: sorted, non-overlapping [start, end) match offsets; `current`: the index in `ranges`
 * of the current match, or -1.
 */
export function highlight(
  segments: readonly AnsiSegment[],
  ranges: readonly (readonly [number, number])[],
  current = -1,
): Piece[] {
  if (ranges.length === 0) return segments.map((s) => ({ text: s.text, style: s.style, mark: 0 }));
  const pieces: Piece[] = [];
  let r = 0;
  let pos = 0;
  for (const seg of segments) {
    const segEnd = pos + seg.text.length;
    let cut = pos;
    while (cut < segEnd) {
      while (r < ranges.length && ranges[r]![1] <= cut) r++;
      const range = ranges[r];
      if (!range || range[0] >= segEnd) {
        pieces.push({ text: seg.text.slice(cut - pos), style: seg.style, mark: 0 });
        break;
      }
      if (range[0] > cut) {
        pieces.push({ text: seg.text.slice(cut - pos, range[0] - pos), style: seg.style, mark: 0 });
        cut = range[0];
      }
      const end = Math.min(range[1], segEnd);
      pieces.push({
        text: seg.text.slice(cut - pos, end - pos),
        style: seg.style,
        mark: r === current ? 2 : 1,
      });
      cut = end;
    }
    pos = segEnd;
  }
  return pieces;
}
