import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, statuses, task, uniqueName, type Engine } from './harness';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ label: 'rules', workers: 2 });
});
afterAll(async () => {
  await engine?.stop();
});

describe('trigger rules', () => {
  it('applies every rule to succeeded, failed, timed-out and skipped upstreams', async () => {
    const name = uniqueName('rules');
    await engine.deploy(`
name: ${name}
tasks:
  ok: { kind: shell, command: 'true' }
  bad: { kind: shell, command: 'exit 1' }
  slow: { kind: shell, command: sleep 5, timeout: 500ms }

  # all_success: skipped when an upstream fails, and the skip propagates
  skipped_by_fail: { kind: shell, needs: [bad], command: 'true' }
  skip_propagates: { kind: shell, needs: [skipped_by_fail], command: 'true' }
  skip_propagates_2: { kind: noop, needs: [skip_propagates] }
  skipped_by_timeout: { kind: shell, needs: [slow], command: 'true' }
  all_success_yes: { kind: shell, needs: [ok], command: 'true' }

  all_done_yes: { kind: shell, needs: [ok, bad, skipped_by_fail], trigger: all_done, command: 'true' }

  all_failed_yes: { kind: shell, needs: [bad, slow], trigger: all_failed, command: 'true' }
  all_failed_no: { kind: shell, needs: [ok, bad], trigger: all_failed, command: 'true' }

  one_success_yes: { kind: shell, needs: [ok, bad], trigger: one_success, command: 'true' }
  one_success_no: { kind: shell, needs: [bad, skipped_by_fail], trigger: one_success, command: 'true' }

  one_failed_yes: { kind: shell, needs: [ok, bad], trigger: one_failed, command: 'true' }
  one_failed_timeout: { kind: shell, needs: [slow], trigger: one_failed, command: 'true' }
  one_failed_no: { kind: shell, needs: [ok, all_success_yes], trigger: one_failed, command: 'true' }

  none_failed_yes: { kind: shell, needs: [ok, skipped_by_fail], trigger: none_failed, command: 'true' }
  none_failed_no: { kind: shell, needs: [ok, bad], trigger: none_failed, command: 'true' }

  always_yes: { kind: shell, needs: [bad, skipped_by_fail, slow], trigger: always, command: 'true' }
`);
    const view = await engine.waitForRun(await engine.run(name), 30_000);
    expect(statuses(view)).toEqual({
      ok: 'succeeded',
      bad: 'failed',
      slow: 'timed_out',
      skipped_by_fail: 'skipped',
      skip_propagates: 'skipped',
      skip_propagates_2: 'skipped',
      skipped_by_timeout: 'skipped',
      all_success_yes: 'succeeded',
      all_done_yes: 'succeeded',
      all_failed_yes: 'succeeded',
      all_failed_no: 'skipped',
      one_success_yes: 'succeeded',
      one_success_no: 'skipped',
      one_failed_yes: 'succeeded',
      one_failed_timeout: 'succeeded',
      one_failed_no: 'skipped',
      none_failed_yes: 'succeeded',
      none_failed_no: 'skipped',
      always_yes: 'succeeded',
    });
    expect(view.status).toBe('failed');
    // Skipped tasks never ran.
    expect(task(view, 'skip_propagates').attemptHistory).toEqual([]);
    expect(task(view, 'skip_propagates').startedAt).toBeNull();
    expect(task(view, 'bad').attemptHistory[0]).toMatchObject({ status: 'failed', exitCode: 1 });
  });

  it('a run whose only failure is handled downstream still fails', async () => {
    const name = uniqueName('handled');
    await engine.deploy(`
name: ${name}
tasks:
  bad: { kind: shell, command: 'exit 3' }
  handler: { kind: shell, needs: [bad], trigger: all_failed, command: 'true' }
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    expect(statuses(view)).toEqual({ bad: 'failed', handler: 'succeeded' });
    expect(view.status).toBe('failed');
  });

  it('a run where tasks were only skipped (nothing failed) succeeds', async () => {
    const name = uniqueName('onlyskip');
    await engine.deploy(`
name: ${name}
tasks:
  ok: { kind: shell, command: 'true' }
  on_failure: { kind: shell, needs: [ok], trigger: one_failed, command: 'exit 1' }
  after: { kind: noop, needs: [on_failure] }
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    expect(statuses(view)).toEqual({ ok: 'succeeded', on_failure: 'skipped', after: 'skipped' });
    expect(view.status).toBe('succeeded');
  });

  it('tasks read upstream statuses through {{ tasks.x.status }}', async () => {
    const name = uniqueName('statusvar');
    await engine.deploy(`
name: ${name}
tasks:
  ok: { kind: shell, command: 'true' }
  bad: { kind: shell, command: 'exit 1' }
  report:
    kind: shell
    needs: [ok, bad]
    trigger: all_done
    command: |
      echo '::output:: {"ok": "{{ tasks.ok.status }}", "bad": "{{ tasks.bad.status }}"}'
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    expect(task(view, 'report').output).toEqual({ ok: 'succeeded', bad: 'failed' });
  });
});
