/**
 * What changed between two JSON values, path by path: the compare page's output and params diff.
 * Objects are compared key by key (key order does not matter), arrays index by index; a value
 * whose type differs, or a scalar that differs, is one `changed` entry at its path.
 */
import type { JsonValue } from '@dtss/core';

export type JsonPath = (string | number)[];

export type JsonChange =
  | { kind: 'changed'; path: JsonPath; before: JsonValue; after: JsonValue }
  | { kind: 'added'; path: JsonPath; after: JsonValue }
  | { kind: 'removed'; path: JsonPath; before: JsonValue };

export interface JsonDiff {
  changes: JsonChange[];
  /** More changes than `maxChanges`: the list stops there. */
  truncated: boolean;
}

/**
 * The changes from `before` to `after`. `undefined` is "absent": absent → value is one `added`
 * entry at the root. At most `maxChanges` entries (a huge output cannot flood the page).
 */
export function jsonDiff(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  maxChanges = 200,
): JsonDiff {
  const changes: JsonChange[] = [];
  let truncated = false;
  const push = (c: JsonChange) => {
    if (changes.length >= maxChanges) truncated = true;
    else changes.push(c);
  };
  const walk = (a: JsonValue | undefined, b: JsonValue | undefined, path: JsonPath) => {
    if (truncated) return;
    if (a === undefined && b === undefined) return;
    if (a === undefined) return push({ kind: 'added', path, after: b! });
    if (b === undefined) return push({ kind: 'removed', path, before: a });
    if (isObject(a) && isObject(b)) {
      for (const key of Object.keys(a))
        walk(a[key], hasOwn(b, key) ? b[key] : undefined, [...path, key]);
      for (const key of Object.keys(b))
        if (!hasOwn(a, key)) walk(undefined, b[key], [...path, key]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++)
        walk(i < a.length ? a[i] : undefined, i < b.length ? b[i] : undefined, [...path, i]);
      return;
    }
    if (!jsonEqual(a, b)) push({ kind: 'changed', path, before: a, after: b });
  };
  walk(before, after, []);
  return { changes, truncated };
}

/** Deep equality of JSON values; object key order does not matter. */
export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((k) => hasOwn(b, k) && jsonEqual(a[k], b[k]))
    );
  }
  return false;
}

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `rows`, `tables[0].name`, `["odd key"]`; the root is `(root)`. */
export function formatJsonPath(path: JsonPath, root = '(root)'): string {
  if (path.length === 0) return root;
  return path
    .map((p, i) =>
      typeof p === 'number'
        ? `[${p}]`
        : IDENT.test(p)
          ? i === 0
            ? p
            : `.${p}`
          : `[${JSON.stringify(p)}]`,
    )
    .join('');
}

/** A value in one line, cut to `max` characters (…), for a diff row. */
export function shortJson(value: JsonValue, max = 80): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function isObject(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasOwn(o: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, key);
}
