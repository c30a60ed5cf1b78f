import { describe, expect, it } from 'vitest';
import { prettyLine } from './index';

describe('prettyLine', () => {
  it('shows time, level and message, then the ids; not the process fields', () => {
    expect(
      prettyLine({
        level: 'info',
        time: '2026-12-07T16:00:00.123Z',
        process: 'worker',
        pid: 1,
        workerId: 'w1',
        runId: 'r1',
        msg: 'stopped',
      }),
    ).toBe('16:00:00.123 INFO  stopped workerId=w1 runId=r1');
  });
});
