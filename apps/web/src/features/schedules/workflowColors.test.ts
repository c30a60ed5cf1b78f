import { describe, expect, it } from 'vitest';
import { workflowColors } from './workflowColors';

describe('workflowColors', () => {
  it('one distinct colour per workflow, the same for repeats', () => {
    const colors = workflowColors(['a', 'b', 'a', 'c']);
    expect(colors.size).toBe(3);
    expect(new Set(colors.values()).size).toBe(3);
    expect(colors.get('a')).toMatch(/^oklch\(/);
  });
});
