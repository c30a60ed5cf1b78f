// The lines of one attempt's log, held outside React state: an append-only array (O(chunk) per
// append, never a copy of 100k lines) that React reads through a version counter. Duplicates are
// dropped by line number, so a replay after a fresh reconnect (no Last-Event-ID) costs nothing.
// Search runs over the same lines, incrementally as lines arrive.
import { stripAnsi } from './ansi';
import type { WireLine } from './logEvents';

export interface LogLine {
  /** 0-based within the attempt; shown 1-based. */
  readonly line: number;
  readonly text: string;
  readonly stream: string;
  readonly time: string;
  /** `text` without escape sequences: what search matches and what a download holds. */
  readonly plain: string;
}

/** A stored line; its plain text is computed when first needed (search, download), not on arrival. */
class StoredLine implements LogLine {
  private stripped: string | undefined;

  constructor(
    readonly line: number,
    readonly text: string,
    readonly stream: string,
    readonly time: string,
  ) {}

  get plain(): string {
    return (this.stripped ??= stripAnsi(this.text));
  }
}

export class LogLines {
  private readonly items: LogLine[] = [];
  /**
   * Bumped when a line lands before the end (out of order), which moves later lines' indexes: an
   * incremental consumer (search) must start again.
   */
  reorders = 0;

  get length(): number {
    return this.items.length;
  }

  at(index: number): LogLine | undefined {
    return this.items[index];
  }

  all(): readonly LogLine[] {
    return this.items;
  }

  /** Adds the lines not held yet; returns how many were added. */
  append(incoming: readonly WireLine[]): number {
    let added = 0;
    for (const w of incoming) {
      const last = this.items[this.items.length - 1];
      // The common case: the stream sends an attempt's lines in order, each line once.
      if (!last || w.line > last.line) {
        this.items.push(toLine(w));
        added++;
        continue;
      }
      const at = this.insertionPoint(w.line);
      if (this.items[at]?.line === w.line) continue; // already held
      this.items.splice(at, 0, toLine(w));
      this.reorders++;
      added++;
    }
    return added;
  }

  /** Index of the line numbered `line`, or -1. */
  indexOfLine(line: number): number {
    const at = this.insertionPoint(line);
    return this.items[at]?.line === line ? at : -1;
  }

  /** The first index whose line number is ≥ `line` (binary search: lines are kept sorted). */
  private insertionPoint(line: number): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid]!.line < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function toLine(w: WireLine): LogLine {
  return new StoredLine(w.line, w.text, w.stream, w.time);
}

// ——— Search ———

/** More matches than this are counted as "50,000+": a one-letter query must not eat memory. */
export const MAX_MATCHES = 50_000;

export interface SearchResult {
  /** The store searched: a result for another attempt's lines is never extended. */
  source: LogLines | null;
  query: string;
  /** Row index of each match, in order (a row with three matches appears three times). */
  rows: number[];
  /** Lines scanned so far (the store's length when this was computed). */
  scanned: number;
  reorders: number;
  /** More than MAX_MATCHES matches: `rows` holds the first MAX_MATCHES. */
  capped: boolean;
}

export const NO_SEARCH: SearchResult = Object.freeze({
  source: null,
  query: '',
  rows: [],
  scanned: 0,
  reorders: 0,
  capped: false,
}) as SearchResult;

/** A case-insensitive, literal matcher for `query` (the user types text, not a regex). */
export function matcher(query: string): RegExp {
  return new RegExp(query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
}

/** [start, end) of each match of `query` in `plain`, non-overlapping. */
export function matchRanges(plain: string, query: string): [number, number][] {
  if (!query) return [];
  const re = matcher(query);
  const ranges: [number, number][] = [];
  for (let m = re.exec(plain); m; m = re.exec(plain)) {
    ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}

/**
 * The matches of `query` in `store`. Given the previous result for the same query and no
 * reordering since, only the lines appended after it are scanned: live lines cost O(new lines).
 * `upTo`: scan the first `upTo` lines only (the length React rendered with).
 */
export function searchLines(
  store: LogLines,
  query: string,
  prev?: SearchResult,
  upTo = store.length,
): SearchResult {
  if (!query) return NO_SEARCH;
  const end = Math.min(upTo, store.length);
  const incremental =
    prev !== undefined &&
    prev.source === store &&
    prev.query === query &&
    prev.reorders === store.reorders &&
    prev.scanned <= end;
  if (incremental && prev.scanned === end) return prev;
  const start = incremental ? prev.scanned : 0;
  let capped = incremental ? prev.capped : false;
  const found: number[] = [];
  let total = incremental ? prev.rows.length : 0;
  const re = matcher(query);
  const lines = store.all();
  for (let i = start; i < end && !capped; i++) {
    const plain = lines[i]!.plain;
    re.lastIndex = 0;
    while (re.exec(plain)) {
      if (total >= MAX_MATCHES) {
        capped = true;
        break;
      }
      found.push(i);
      total++;
    }
  }
  return {
    source: store,
    query,
    rows: incremental ? prev.rows.concat(found) : found,
    scanned: end,
    reorders: store.reorders,
    capped,
  };
}

/** Which match of its row match `index` is (0 for a row's first match). */
export function occurrenceInRow(rows: readonly number[], index: number): number {
  const row = rows[index];
  let k = 0;
  while (index - k - 1 >= 0 && rows[index - k - 1] === row) k++;
  return k;
}

/** The first match at or after row `fromRow` (wrapping to the first), or -1 with none. */
export function firstMatchFrom(rows: readonly number[], fromRow: number): number {
  if (rows.length === 0) return -1;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]! < fromRow) lo = mid + 1;
    else hi = mid;
  }
  return lo < rows.length ? lo : 0;
}
