// What Postgres can store: text without NUL, valid Unicode, JSON nested within reason. A string
// with a NUL is refused by every text and jsonb column ("invalid byte sequence"), an unpaired UTF-16
// surrogate by jsonb (and silently replaced in text), JSON nested thousands of levels deep
// overflows the stack of whatever serializes it, and a BigInt (superjson clients can send one)
// makes JSON.stringify throw: such input is refused where it comes in.

import type { Path, PathSegment } from '../definition/issue';

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a string cannot be stored, or undefined. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const code = surrogate[0].charCodeAt(0).toString(16);
    return `contains an unpaired UTF-16 surrogate (\\u${code}), which is not valid Unicode`;
  }
  return undefined;
}

export interface StorableProblem {
  path: Path;
  message: string;
}

/**
 * The first place in `value` (strings, object keys, nesting) that cannot be stored, or null.
 * Iterative, so any depth of input is walked safely; values below `maxDepth` levels are refused.
 */
export function findUnstorable(value: unknown, maxDepth: number): StorableProblem | null {
  const stack: { value: unknown; path: PathSegment[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v);
      if (problem) return { path, message: problem };
      continue;
    }
    if (typeof v === 'bigint') return { path, message: 'is a BigInt, which JSON cannot hold' };
    if (v === null || typeof v !== 'object') continue;
    const children: { value: unknown; path: PathSegment[] }[] = [];
    if (Array.isArray(v)) {
      v.forEach((item, i) => children.push({ value: item, path: [...path, i] }));
    } else {
      for (const [key, item] of Object.entries(v)) {
        const problem = textProblem(key);
        if (problem) return { path: [...path, key], message: `its name ${problem}` };
        children.push({ value: item, path: [...path, key] });
      }
    }
    if (children.length > 0 && path.length >= maxDepth) {
      return { path, message: `nested deeper than ${maxDepth} levels` };
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return null;
}
