// Finds the strings of an object that are templates, by dotted field patterns.
import type { PathSegment } from '../definition/issue';

export interface TemplatedString {
  /** Path of the string inside the object, e.g. ['request', 'headers', 'Authorization']. */
  path: PathSegment[];
  text: string;
}

/**
 * Patterns are dotted field names; `*` matches every key (or list item) at its level and `**`
 * every string at any depth below (used for JSON bodies). Missing fields match nothing.
 */
export function templatedStrings(object: unknown, patterns: readonly string[]): TemplatedString[] {
  const found: TemplatedString[] = [];
  for (const pattern of patterns) collect(object, pattern.split('.'), [], found);
  return found;
}

function collect(
  value: unknown,
  pattern: string[],
  path: PathSegment[],
  found: TemplatedString[],
): void {
  if (pattern.length === 0) {
    if (typeof value === 'string') found.push({ path, text: value });
    return;
  }
  const [head, ...rest] = pattern;
  if (head === '**') {
    collectAllStrings(value, path, found);
    return;
  }
  if (Array.isArray(value)) {
    if (head === '*') value.forEach((item, i) => collect(item, rest, [...path, i], found));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  if (head === '*') {
    for (const key of Object.keys(record)) collect(record[key], rest, [...path, key], found);
  } else if (Object.hasOwn(record, head!)) {
    collect(record[head!], rest, [...path, head!], found);
  }
}

/** Every string leaf, iteratively (JSON bodies can nest deeply). */
function collectAllStrings(root: unknown, rootPath: PathSegment[], found: TemplatedString[]): void {
  const stack: Array<{ value: unknown; path: PathSegment[] }> = [{ value: root, path: rootPath }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') found.push({ path, text: value });
    else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({ value: value[i], path: [...path, i] });
    } else if (typeof value === 'object' && value !== null) {
      const entries = Object.entries(value);
      for (let i = entries.length - 1; i >= 0; i--) {
        stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
      }
    }
  }
}
