import { describe, expect, it } from 'vitest';
import { secretMask } from './secretMask';

describe('secretMask', () => {
  it('masks every occurrence, longest secret first, with regex characters taken literally', () => {
    const mask = secretMask(['pa$$word', 'pa$$word-long', 'a.b*c']);
    expect(mask('x pa$$word-long y pa$$word z a.b*c axbbc')).toBe('x *** y *** z *** axbbc');
  });

  it('ignores empty and short values, masks each line of a multi-line one', () => {
    const mask = secretMask(['', 'ab', '123', '-----BEGIN KEY-----\nc2VjcmV0\n-----END KEY-----']);
    expect(mask('ab 123 c2VjcmV0 -----END KEY-----')).toBe('ab 123 *** ***');
    expect(secretMask([])('unchanged')).toBe('unchanged');
  });
});
