import { describe, expect, it } from 'vitest';
import { createWorkerMetrics } from './workerMetrics';

const attempt = {
  pool: 'default',
  kind: 'shell',
  status: 'succeeded',
  seconds: 0.2,
  endedTask: true,
  retried: false,
  workflow: 'nightly-etl',
};

function metricsWith(workflowLabels: boolean) {
  return createWorkerMetrics({
    pools: {},
    concurrency: 3,
    busySlots: () => 2,
    unrecordedResults: () => 0,
    workflowLabels,
  });
}

describe('worker metrics', () => {
  it('labels tasks finished with pool, kind and status only, unless workflow labels are on', async () => {
    const plain = metricsWith(false);
    plain.attemptRecorded(attempt);
    const text = await plain.registry.metrics();
    expect(text).toContain(
      'dtss_tasks_finished_total{pool="default",kind="shell",status="succeeded"} 1',
    );
    expect(text).not.toContain('nightly-etl');
    expect(text).toContain('dtss_worker_slots_busy 2');
    expect(text).toContain('dtss_worker_slots 3');

    const labelled = metricsWith(true);
    labelled.attemptRecorded(attempt);
    expect(await labelled.registry.metrics()).toContain(
      'dtss_tasks_finished_total{pool="default",kind="shell",status="succeeded",workflow="nightly-etl"} 1',
    );
  });

  it('counts a retry as an attempt and a retry, not as a finished task', async () => {
    const m = metricsWith(false);
    m.attemptRecorded({ ...attempt, status: 'failed', endedTask: false, retried: true });
    const text = await m.registry.metrics();
    expect(text).toContain('dtss_task_retries_total{pool="default",kind="shell"} 1');
    expect(text).toContain(
      'dtss_task_attempts_total{pool="default",kind="shell",status="failed"} 1',
    );
    expect(text).not.toMatch(/^dtss_tasks_finished_total\{/m);
  });
});
