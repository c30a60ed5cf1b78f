import { describe, expect, it } from 'vitest';
import { paramsTextOf, readParamsText } from './paramsJson';

describe('params as JSON text', () => {
  it('reads an object, empty text as none', () => {
    expect(readParamsText('{"a": 1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(readParamsText('  ')).toEqual({ ok: true, value: {} });
    expect(readParamsText('null').ok).toBe(false);
    expect(readParamsText('"x"').ok).toBe(false);
  });

  it('writes none as {} and the rest indented', () => {
    expect(paramsTextOf({})).toBe('{}');
    expect(paramsTextOf({ a: 1 })).toBe('{\n  "a": 1\n}');
  });
});
