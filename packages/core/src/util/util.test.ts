import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson';
import { findUnstorable, textProblem } from './storable';
import { closestMatch, didYouMean, editDistance } from './suggest';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null }, u: undefined })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('is independent of key order and parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it('refuses values JSON cannot hold faithfully', () => {
    expect(() => canonicalJson({ n: NaN })).toThrow('non-finite number at $.n');
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});

describe('suggestions', () => {
  it('measures edits, counting a transposition as one', () => {
    expect(editDistance('lod', 'load')).toBe(1);
    expect(editDistance('comand', 'command')).toBe(1);
    expect(editDistance('shlel', 'shell')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests only plausible typos, preferring a case-insensitive match', () => {
    expect(closestMatch('Europe/Berln', ['Europe/Berlin', 'Europe/Bern'])).toBe('Europe/Berlin');
    expect(closestMatch('UTC', ['utc', 'UT'])).toBe('utc');
    expect(closestMatch('bash', ['shell', 'node', 'python', 'http', 'noop'])).toBeUndefined();
    expect(didYouMean('extrct', ['extract', 'load'])).toBe(' (did you mean "extract"?)');
    expect(didYouMean('zzz', ['extract'])).toBe('');
  });
});

describe('findUnstorable', () => {
  it('finds NULs and unpaired surrogates in strings and keys, with their path', () => {
    expect(findUnstorable({ a: ['ok', 'x\u0000'] }, 10)).toEqual({
      path: ['a', 1],
      message: 'contains a NUL character (\\u0000), which cannot be stored',
    });
    expect(findUnstorable({ a: { 'k\ud800': 1 } }, 10)?.path).toEqual(['a', 'k\ud800']);
    expect(textProblem('x\udc00')).toMatch(/unpaired UTF-16 surrogate \(\\udc00\)/);
    expect(textProblem('\ud83d')).toMatch(/unpaired/);
    expect(textProblem('😀 é \u2028 \ufffd')).toBeUndefined();
    expect(findUnstorable({ a: [1, 'two', null, { b: true }] }, 10)).toBeNull();
    expect(findUnstorable({ n: [10n] }, 10)).toEqual({
      path: ['n', 0],
      message: 'is a BigInt, which JSON cannot hold',
    });
  });

  it('refuses nesting past the limit without overflowing on any depth', () => {
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(findUnstorable(deep, 64)).toEqual({
      path: Array(64).fill(0),
      message: 'nested deeper than 64 levels',
    });
    expect(findUnstorable([[[]]], 2)).toBeNull();
    expect(findUnstorable([[[1]]], 2)?.message).toBe('nested deeper than 2 levels');
  });
});
