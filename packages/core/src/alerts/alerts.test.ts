import { describe, expect, it } from 'vitest';
import { compactWorkflow } from '../definition/compactWorkflow';
import { parseWorkflowText } from '../definition/parseWorkflowText';
import { validateWorkflow } from '../definition/validateWorkflow';
import { averageDuration, computeDeadline, missedDeadline } from './deadline';
import { incidentKeys } from './incidentKey';
import { renderAlertMessage, slackText } from './message';

const base = { name: 'etl', tasks: { a: { kind: 'noop' } } };

function alertsOf(alerts: unknown) {
  const result = validateWorkflow({ ...base, alerts });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.workflow.alerts;
}

function errorsOf(alerts: unknown) {
  const result = validateWorkflow({ ...base, alerts });
  if (result.ok) throw new Error('expected errors');
  return result.errors.map((e) => `${e.path}: ${e.message}`);
}

describe('alerts: section', () => {
  it('is absent from the normalized workflow when the file has none (content hashes stay)', () => {
    const result = validateWorkflow(base);
    expect(result.ok && 'alerts' in result.workflow).toBe(false);
    expect(alertsOf([])).toBeUndefined();
  });

  it('normalizes every kind with its defaults', () => {
    expect(
      alertsOf([
        { on: 'run_failed', channels: ['ops'] },
        { on: 'run_recovered', channels: ['ops', 'slack'] },
        { name: 'flaky', on: 'task_retries', retries: 2, channels: ['ops'] },
        { on: 'deadline', deadline: { from: 'logical_date', after: '1h' }, channels: ['ops'] },
        { on: 'deadline', deadline: { from: 'average', runs: 5, factor: 1.5 }, channels: ['ops'] },
        { on: 'worker_lost', channels: ['ops'], enabled: false },
        { on: 'pool_starved', waitingFor: '30s', pool: 'gpu', channels: ['ops'] },
      ]),
    ).toEqual([
      expect.objectContaining({
        name: 'run-failed',
        on: 'run_failed',
        statuses: ['failed', 'timed_out'],
        enabled: true,
      }),
      expect.objectContaining({ name: 'run-recovered', channels: ['ops', 'slack'], statuses: [] }),
      expect.objectContaining({ name: 'flaky', retries: 2, deadline: null }),
      expect.objectContaining({
        name: 'deadline',
        deadline: { from: 'logical_date', afterMs: 3_600_000, runs: 10, factor: 1 },
      }),
      expect.objectContaining({
        name: 'deadline-2',
        deadline: { from: 'average', afterMs: 0, runs: 5, factor: 1.5 },
      }),
      expect.objectContaining({ name: 'worker-lost', enabled: false }),
      expect.objectContaining({ name: 'pool-starved', waitingMs: 30_000, pool: 'gpu' }),
    ]);
  });

  it('names each problem by its path', () => {
    expect(
      errorsOf([
        { on: 'run_failed' },
        { on: 'task_retries', channels: ['ops'] },
        { on: 'run_failed', channels: ['ops'], retries: 3 },
        { on: 'deadline', channels: ['ops'], deadline: { from: 'queued' } },
        { on: 'explode', channels: ['Bad Name'] },
        { name: 'x', on: 'worker_lost', channels: ['ops'] },
        { name: 'x', on: 'worker_lost', channels: ['ops'] },
      ]),
    ).toEqual([
      'alerts[0]: missing required field "channels"',
      expect.stringMatching(/^alerts\[1\]\.retries: a task_retries alert needs "retries"/),
      'alerts[2].retries: "retries" applies to "task_retries" alerts, not "run_failed"',
      expect.stringMatching(
        /^alerts\[3\]\.deadline\.after: a deadline from "queued" needs "after"/,
      ),
      expect.stringMatching(/^alerts\[4\]\.on: /),
      expect.stringMatching(/^alerts\[4\]\.channels\[0\]: invalid channel name "Bad Name"/),
      'alerts[6].name: another alert is named "x"',
    ]);
  });

  it('survives compactWorkflow and a YAML round trip', () => {
    const text = `name: etl
alerts:
  - on: run_failed
    channels: [ops]
    statuses: [failed]
  - on: deadline
    channels: [ops]
    deadline: { from: queued, after: 90m }
  - on: pool_starved
    channels: [ops]
    waitingForMs: 1500
tasks:
  a: { kind: noop }
`;
    const parsed = parseWorkflowText(text, { format: 'yaml' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const again = validateWorkflow(compactWorkflow(parsed.workflow));
    expect(again.ok && again.workflow).toEqual(parsed.workflow);
  });

  it('reports the line of a YAML error', () => {
    const parsed = parseWorkflowText(
      `name: etl\nalerts:\n  - on: task_retries\n    channels: [ops]\n    retries: -1\ntasks:\n  a: { kind: noop }\n`,
      { format: 'yaml' },
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]).toMatchObject({ path: 'alerts[0].retries', line: 5 });
  });
});

describe('deadlines', () => {
  const createdAt = new Date('2026-12-01T10:00:00Z');
  const startedAt = new Date('2026-12-01T10:05:00Z');
  const logicalDate = new Date('2026-12-01T09:00:00Z');
  const run = { createdAt, startedAt, logicalDate };

  it('from the logical date, else from when the run was queued', () => {
    const spec = { from: 'logical_date' as const, afterMs: 3_600_000, runs: 10, factor: 1 };
    expect(computeDeadline(spec, run, null)).toEqual(new Date('2026-12-01T10:00:00Z'));
    expect(computeDeadline(spec, { ...run, logicalDate: null }, null)).toEqual(
      new Date('2026-12-01T11:00:00Z'),
    );
  });

  it('from when the run was queued', () => {
    const spec = { from: 'queued' as const, afterMs: 60_000, runs: 10, factor: 1 };
    expect(computeDeadline(spec, run, null)).toEqual(new Date('2026-12-01T10:01:00Z'));
  });

  it('from the start plus the mean of the last n successful runs', () => {
    expect(averageDuration([10_000, 20_000, 30_000, 1_000_000], 3)).toBe(20_000);
    expect(averageDuration([], 3)).toBeNull();
    const spec = { from: 'average' as const, afterMs: 5_000, runs: 3, factor: 1.5 };
    expect(computeDeadline(spec, run, 20_000)).toEqual(new Date('2026-12-01T10:05:35Z'));
    expect(computeDeadline(spec, run, null)).toBeNull();
    expect(computeDeadline(spec, { ...run, startedAt: null }, 20_000)).toBeNull();
  });

  it('is missed by a run still active after it or ended after it', () => {
    const deadline = new Date('2026-12-01T10:00:00Z');
    expect(missedDeadline(deadline, new Date('2026-12-01T10:00:01Z'), null)).toBe(true);
    expect(missedDeadline(deadline, new Date('2026-12-01T09:59:59Z'), null)).toBe(false);
    expect(
      missedDeadline(deadline, new Date('2026-12-01T11:00:00Z'), new Date('2026-12-01T09:30:00Z')),
    ).toBe(false);
    expect(missedDeadline(null, new Date(), null)).toBe(false);
  });
});

describe('incident keys and messages', () => {
  it('keep one open incident per workflow for failures, one per run for deadlines', () => {
    expect(incidentKeys({ kind: 'run_failed', workflowId: 'w', firstFailedRunId: 'r1' })).toEqual({
      key: 'workflow:w',
      cause: 'run:r1',
    });
    expect(incidentKeys({ kind: 'deadline', runId: 'r1' })).toEqual({
      key: 'run:r1',
      cause: 'run:r1',
    });
    expect(incidentKeys({ kind: 'worker_lost', workerId: 'k' })).toEqual({
      key: 'worker:k',
      cause: null,
    });
  });

  it('renders text only, one line per fact, and escapes Slack control characters', () => {
    const message = renderAlertMessage({
      event: 'opened',
      kind: 'run_failed',
      ruleName: 'failures',
      teamSlug: 'acme',
      title: 'etl run #3 failed\nBcc: x@y',
      details: ['<b>boom</b>'],
      url: null,
      at: new Date('2026-12-01T10:00:00Z'),
    });
    expect(message.subject).toBe('[alert] Run failed: etl run #3 failed Bcc: x@y');
    expect(message.text.split('\n')).toEqual([
      message.subject,
      '<b>boom</b>',
      'rule: failures (team acme)',
      'at: 2026-12-01T10:00:00.000Z',
    ]);
    expect(slackText('<!channel> & co')).toBe('&lt;!channel&gt; &amp; co');
  });
});
