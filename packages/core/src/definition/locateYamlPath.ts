// Maps a document path (['tasks', 'load', 'needs', 0]) to its line and column in the YAML source.
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
} from 'yaml';
import type { Path, PathSegment } from './issue';

export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * The position of the deepest node along `path` that exists in the source: the key for a mapping
 * entry (where an editor should put the cursor), the item itself in a list. Paths into fields that
 * are missing resolve to their parent; values that came in through a YAML merge key resolve to
 * the mapping that merges them.
 */
export function locateYamlPath(
  doc: Document,
  lineCounter: LineCounter,
  path: Path,
): SourcePosition | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyMatches(item, segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment];
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  if (offset === undefined) return undefined;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

export interface KeyAt {
  path: PathSegment[];
  /** Where the same key first appears in the same mapping (for duplicates). */
  firstOffset: number | undefined;
}

/** Path of the mapping key that starts at `offset` (used for duplicate-key errors), if any. */
export function keyAt(doc: Document, offset: number): KeyAt | undefined {
  let found: KeyAt | undefined;
  visit(doc, {
    Pair(_key, pair, ancestors) {
      if (rangeStart(pair.key) !== offset) return undefined;
      const path: PathSegment[] = [];
      // Ancestors run from the document down: a pair contributes its key, a list item its index.
      let parent: unknown;
      for (const ancestor of ancestors) {
        if (isPair(ancestor)) path.push(keyText(ancestor));
        else if (isSeq(parent)) path.push(parent.items.indexOf(ancestor as Node));
        parent = ancestor;
      }
      const key = keyText(pair);
      path.push(key);
      const first = isMap(parent) ? parent.items.find((item) => keyText(item) === key) : undefined;
      found = { path, firstOffset: rangeStart(first?.key) };
      return visit.BREAK;
    },
  });
  return found;
}

function keyMatches(pair: Pair<unknown, unknown>, segment: PathSegment): boolean {
  return keyText(pair) === String(segment);
}

function keyText(pair: Pair<unknown, unknown>): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
