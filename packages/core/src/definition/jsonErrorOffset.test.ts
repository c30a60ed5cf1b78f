import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from './jsonErrorOffset';

const isJson = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('jsonErrorOffset', () => {
  it('finds where a text stops being JSON', () => {
    expect(jsonErrorOffset('{"a": [1, 2, {"b": null}], "c": "x\\n"}')).toBeNull();
    expect(jsonErrorOffset('# comment\n{}')).toBe(0);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{"a": tru}')).toBe(6);
    expect(jsonErrorOffset('[1] x')).toBe(4);
    expect(jsonErrorOffset('')).toBe(0);
  });

  it('agrees with JSON.parse on valid JSON and on JSON with a character changed', () => {
    fc.assert(
      fc.property(
        fc.json({ maxDepth: 4 }),
        fc.nat(),
        fc.constantFrom('', ',', '}', ']', '"', ':', '#', '\\', 'x', '\n', '\u0000'),
        (json, at, char) => {
          expect(jsonErrorOffset(json)).toBeNull();
          const k = at % (json.length + 1);
          const broken = json.slice(0, k) + char + json.slice(k + (at % 2));
          expect(jsonErrorOffset(broken) === null).toBe(isJson(broken));
        },
      ),
      { seed: 20261207, numRuns: 2000 },
    );
  });
});
