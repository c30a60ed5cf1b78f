import { describe, expect, it } from 'vitest';
import { bulkOutcome, headerCheck, isRerunnable, plural, toggleAll, toggleOne } from './runsBulk';

describe('selection', () => {
  it('select-all selects every row shown, or clears when all are', () => {
    const rows = ['a', 'b', 'c'];
    expect(headerCheck(rows, new Set())).toBe('none');
    expect(headerCheck(rows, new Set(['b']))).toBe('some');
    expect(headerCheck(rows, new Set(rows))).toBe('all');
    expect(toggleAll(rows, new Set(['b']))).toEqual(new Set(rows));
    expect(toggleAll(rows, new Set(rows))).toEqual(new Set());
    expect(toggleOne(new Set(['a']), 'b', true)).toEqual(new Set(['a', 'b']));
    expect(toggleOne(new Set(['a']), 'a', false)).toEqual(new Set());
  });
});

describe('words', () => {
  it('says how many runs and which were skipped', () => {
    expect(plural(1, 'run')).toBe('1 run');
    expect(plural(1200, 'run')).toBe('1,200 runs');
    expect(isRerunnable('failed')).toBe(true);
    expect(isRerunnable('succeeded')).toBe(false);
    expect(isRerunnable('running')).toBe(false);
    const rows = [{ id: 'r1', number: 12, workflowName: 'etl', status: 'failed' as const }];
    expect(bulkOutcome('cancel', 2, [], rows)).toEqual({
      summary: '2 runs cancelled.',
      skipped: [],
    });
    expect(
      bulkOutcome(
        'rerun',
        1,
        [
          { runId: 'r1', message: 'still running' },
          { runId: 'abcdef12-0000', message: 'no such run in this team' },
        ],
        rows,
      ),
    ).toEqual({
      summary: '1 run rerun as new runs; 2 skipped:',
      skipped: [
        { runId: 'r1', label: '#12 of etl', message: 'still running' },
        { runId: 'abcdef12-0000', label: 'Run abcdef12', message: 'no such run in this team' },
      ],
    });
  });
});
