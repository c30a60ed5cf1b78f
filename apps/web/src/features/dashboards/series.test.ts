import { describe, expect, it } from 'vitest';
import { bucketStarts, runsSeries, tasksSeries } from './series';

const from = new Date('2026-01-10T10:00:30Z');
const to = new Date('2026-01-10T10:04:00Z');

describe('dashboard series', () => {
  it('covers the period with one bucket per minute, hour or day', () => {
    expect(bucketStarts(from, to, 'minute').map((t) => new Date(t).toISOString())).toEqual([
      '2026-01-10T10:00:00.000Z',
      '2026-01-10T10:01:00.000Z',
      '2026-01-10T10:02:00.000Z',
      '2026-01-10T10:03:00.000Z',
    ]);
    expect(bucketStarts(from, new Date('2026-01-12T00:00:00Z'), 'day')).toHaveLength(2);
  });

  it('fills empty buckets with zeros and keeps only statuses that occur, in order', () => {
    const { points, statuses } = runsSeries(
      [
        { bucket: new Date('2026-01-10T10:01:00Z'), status: 'failed', count: 2 },
        { bucket: new Date('2026-01-10T10:01:00Z'), status: 'succeeded', count: 5 },
        { bucket: new Date('2026-01-10T10:03:00Z'), status: 'succeeded', count: 1 },
      ],
      from,
      to,
      'minute',
      ['succeeded', 'failed', 'running'],
    );
    expect(statuses).toEqual(['succeeded', 'failed']);
    expect(points.map((p) => [p.succeeded, p.failed])).toEqual([
      [0, 0],
      [5, 2],
      [0, 0],
      [1, 0],
    ]);
  });

  it('splits ended tasks into succeeded, failed and the rest', () => {
    const points = tasksSeries(
      [{ bucket: new Date('2026-01-10T10:02:00Z'), succeeded: 7, failed: 2, total: 10 }],
      from,
      to,
      'minute',
    );
    expect(points[2]).toMatchObject({ succeeded: 7, failed: 2, other: 1 });
    expect(points[0]).toMatchObject({ succeeded: 0, failed: 0, other: 0 });
  });
});
