import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson';
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
