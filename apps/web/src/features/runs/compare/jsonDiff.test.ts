import type { JsonValue } from '@dtss/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatJsonPath, jsonDiff, jsonEqual, shortJson } from './jsonDiff';

describe('jsonDiff', () => {
  it('finds nothing between equal values, whatever the key order', () => {
    expect(jsonDiff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toEqual({
      changes: [],
      truncated: false,
    });
    expect(jsonDiff(null, null).changes).toEqual([]);
    expect(jsonDiff(undefined, undefined).changes).toEqual([]);
  });

  it('names changed, added and removed paths', () => {
    const before = { rows: 10, table: 'orders', meta: { tags: ['a', 'b'], old: true } };
    const after = { rows: 12, table: 'orders', meta: { tags: ['a', 'c', 'd'] }, extra: null };
    expect(jsonDiff(before, after).changes).toEqual([
      { kind: 'changed', path: ['rows'], before: 10, after: 12 },
      { kind: 'changed', path: ['meta', 'tags', 1], before: 'b', after: 'c' },
      { kind: 'added', path: ['meta', 'tags', 2], after: 'd' },
      { kind: 'removed', path: ['meta', 'old'], before: true },
      { kind: 'added', path: ['extra'], after: null },
    ]);
  });

  it('reports a type change, or a value against nothing, once at its path', () => {
    expect(jsonDiff({ a: { b: 1 } }, { a: [1] }).changes).toEqual([
      { kind: 'changed', path: ['a'], before: { b: 1 }, after: [1] },
    ]);
    expect(jsonDiff(undefined, { n: 1 }).changes).toEqual([
      { kind: 'added', path: [], after: { n: 1 } },
    ]);
    expect(jsonDiff({ n: 1 }, undefined).changes).toEqual([
      { kind: 'removed', path: [], before: { n: 1 } },
    ]);
    expect(jsonDiff(null, 0).changes).toEqual([
      { kind: 'changed', path: [], before: null, after: 0 },
    ]);
  });

  it('stops at maxChanges and says so', () => {
    const a = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));
    const b = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i + 1]));
    const d = jsonDiff(a, b, 10);
    expect(d.changes).toHaveLength(10);
    expect(d.truncated).toBe(true);
    expect(jsonDiff(a, b, 50).truncated).toBe(false);
  });

  it('is empty exactly when the values are equal (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (x, y) => {
        const a = x as JsonValue;
        const b = y as JsonValue;
        expect(jsonDiff(a, a, 10_000).changes).toEqual([]);
        expect(jsonDiff(a, b, 10_000).changes.length === 0).toBe(jsonEqual(a, b));
      }),
    );
  });
});

describe('jsonEqual', () => {
  it('compares deeply, ignoring key order only', () => {
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: undefined as unknown as JsonValue })).toBe(false);
    expect(jsonEqual(0, null)).toBe(false);
    expect(jsonEqual('1', 1)).toBe(false);
  });
});

describe('formatJsonPath and shortJson', () => {
  it('writes paths as people read them', () => {
    expect(formatJsonPath([])).toBe('(root)');
    expect(formatJsonPath([], 'output')).toBe('output');
    expect(formatJsonPath(['rows'])).toBe('rows');
    expect(formatJsonPath(['tables', 0, 'name'])).toBe('tables[0].name');
    expect(formatJsonPath(['a b', 'c-d', 2])).toBe('["a b"]["c-d"][2]');
  });

  it('cuts long values', () => {
    expect(shortJson({ a: 1 })).toBe('{"a":1}');
    expect(shortJson('x'.repeat(100), 10)).toBe(`"${'x'.repeat(8)}…`);
    expect(shortJson('x'.repeat(100), 10)).toHaveLength(10);
  });
});
