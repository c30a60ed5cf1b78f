// The component's contract as the run page and the e2e tests read it: rendered on the server
// (no DOM here), which draws the virtualiser's first screen of rows.
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RunTimeline } from './RunTimeline';
import type { TimelineRunInput, TimelineTaskInput } from './timelineRows';

const T0 = Date.UTC(2025, 0, 1, 12);
const at = (s: number) => new Date(T0 + s * 1000);

function render(run: TimelineRunInput, extra: Partial<Parameters<typeof RunTimeline>[0]> = {}) {
  return renderToString(createElement(RunTimeline, { run, now: T0 + 10_000, ...extra }));
}
const count = (html: string, re: RegExp) => html.match(re)?.length ?? 0;

describe('RunTimeline', () => {
  it('draws rows, wait and run bars, live ends and test ids', () => {
    const run: TimelineRunInput = {
      status: 'running',
      createdAt: at(0),
      startedAt: at(0),
      finishedAt: null,
      tasks: [
        { key: 'pending<b>', status: 'pending', queuedAt: null, finishedAt: null },
        {
          key: 'live',
          status: 'running',
          queuedAt: at(1),
          finishedAt: null,
          attemptHistory: [
            { number: 1, status: 'running', workerId: 'w', startedAt: at(3), finishedAt: null },
          ],
        },
        {
          key: 'backoff',
          status: 'retry_wait',
          queuedAt: at(0),
          finishedAt: null,
          attemptHistory: [
            { number: 1, status: 'timed_out', workerId: 'w', startedAt: at(2), finishedAt: at(4) },
          ],
        },
      ],
    };
    const html = render(run, { critical: new Set(['live']), selected: 'live' });
    for (const id of ['run-timeline', 'timeline-zoom-in', 'timeline-zoom-out', 'timeline-fit'])
      expect(html).toContain(`data-testid="${id}"`);
    // rows in order: by when they entered the run, never queued last
    expect(
      [...html.matchAll(/data-testid="timeline-row" data-task="([^"]*)"/g)].map((m) => m[1]),
    ).toEqual(['backoff', 'live', 'pending&lt;b&gt;']);
    expect(count(html, /data-kind="wait"/g)).toBe(3);
    expect(count(html, /data-kind="run"/g)).toBe(2);
    expect(html).toContain('data-kind="wait" data-status="retry_wait" data-open="true"');
    expect(html).toContain('data-kind="run" data-status="running" data-open="true"');
    expect(html).toContain('aria-label="backoff attempt 1 · timed out · ran 2s · on w"');
    expect(html).toContain('aria-label="live waited 2s for a worker"');
    expect(html).toContain('data-task="live" data-critical="true" data-selected="true"');
    expect(html).toContain('not started');
    // Keys are text, never markup.
    expect(html).not.toContain('<b>');
    // Fitted by default: nothing to zoom out of.
    expect(html).toMatch(/disabled=""[^>]*data-testid="timeline-zoom-out"/);
    expect(html).toMatch(/disabled=""[^>]*data-testid="timeline-fit"/);
  });

  it('draws only the rows in view of a 1,000-task run', () => {
    const tasks: TimelineTaskInput[] = Array.from({ length: 1000 }, (_, i) => ({
      key: `task-${i}`,
      status: 'succeeded',
      queuedAt: at(i / 10),
      finishedAt: at(i / 10 + 6),
      attemptHistory: [
        { number: 1, status: 'succeeded', startedAt: at(i / 10 + 1), finishedAt: at(i / 10 + 6) },
      ],
    }));
    const run: TimelineRunInput = {
      status: 'succeeded',
      createdAt: at(0),
      startedAt: at(0),
      finishedAt: at(106),
      tasks,
    };
    const t = performance.now();
    const html = render(run, { height: 420 });
    expect(performance.now() - t).toBeLessThan(500);
    const rows = count(html, /data-testid="timeline-row"/g);
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(40);
    expect(html).toContain('aria-setsize="1000"');
    expect(html).not.toContain('data-open');
  });

  it('says when a run has no tasks', () => {
    const html = render({
      status: 'queued',
      createdAt: at(0),
      startedAt: null,
      finishedAt: null,
      tasks: [],
    });
    expect(html).toContain('This run has no tasks.');
    expect(count(html, /data-testid="timeline-row"/g)).toBe(0);
  });
});
