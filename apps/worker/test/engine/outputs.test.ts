import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, statuses, task, uniqueName, type Engine } from './harness';

let engine: Engine;
beforeAll(async () => {
  engine = await startEngine({ label: 'outputs', workers: 2 });
});
afterAll(async () => {
  await engine?.stop();
});

describe('task outputs and templates', () => {
  it('passes an output and a param to a downstream command', async () => {
    const name = uniqueName('outputs');
    await engine.deploy(`
name: ${name}
params:
  x: { type: string }
  n: { type: integer, default: 7 }
tasks:
  a:
    kind: shell
    command: |
      echo "computing"
      echo '::output:: {"rows": 41}'
      echo '::output:: {"rows": 42, "nested": {"list": ["p", "q"]}}'
      echo "done"
  b:
    kind: shell
    needs: [a]
    env:
      X: '{{ params.x }}'
      SECOND: '{{ tasks.a.output.nested.list.1 }}'
    command: |
      echo "::output:: {\\"rows\\": {{ tasks.a.output.rows }}, \\"x\\": \\"$X\\", \\"n\\": {{ params.n }}, \\"second\\": \\"$SECOND\\", \\"inline\\": \\"{{ params.x }}\\"}"
`);
    const view = await engine.waitForRun(await engine.run(name, { x: 'hello' }), 20_000);
    expect(statuses(view)).toEqual({ a: 'succeeded', b: 'succeeded' });
    // The last ::output:: line wins.
    expect(task(view, 'a').output).toEqual({ rows: 42, nested: { list: ['p', 'q'] } });
    expect(task(view, 'b').output).toEqual({
      rows: 42,
      x: 'hello',
      n: 7,
      second: 'q',
      inline: 'hello',
    });
    expect(view.params).toEqual({ x: 'hello', n: 7 });
  });

  it('a task without an output line has a null output; noop outputs its result', async () => {
    const name = uniqueName('nooutput');
    await engine.deploy(`
name: ${name}
tasks:
  quiet: { kind: shell, command: echo nothing to see }
  constant: { kind: noop, result: { answer: 42 } }
  reader:
    kind: shell
    needs: [constant]
    command: |
      echo '::output:: {"got": {{ tasks.constant.output.answer }}}'
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    expect(task(view, 'quiet').output).toBeNull();
    expect(task(view, 'constant').output).toEqual({ answer: 42 });
    expect(task(view, 'reader').output).toEqual({ got: 42 });
  });

  it('run, workflow and task variables are rendered', async () => {
    const name = uniqueName('vars');
    await engine.deploy(`
name: ${name}
tasks:
  who:
    kind: shell
    command: |
      echo '::output:: {"run": "{{ run.id }}", "wf": "{{ workflow.name }}", "task": "{{ task.id }}", "attempt": {{ task.attempt }}}'
`);
    const runId = await engine.run(name);
    const view = await engine.waitForRun(runId, 20_000);
    expect(task(view, 'who').output).toEqual({ run: runId, wf: name, task: 'who', attempt: 1 });
  });

  it('an output over 1 MiB fails the task with a clear error', async () => {
    const name = uniqueName('bigoutput');
    await engine.deploy(`
name: ${name}
tasks:
  big:
    kind: shell
    command: |
      printf '::output:: {"big": "'
      head -c 1200000 /dev/zero | tr '\\0' x
      printf '"}\\n'
  after: { kind: noop, needs: [big] }
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    const big = task(view, 'big');
    expect(big.status).toBe('failed');
    expect(big.output).toBeNull();
    expect(big.error ?? big.attemptHistory[0]?.error).toMatch(/output/i);
    expect(big.error ?? big.attemptHistory[0]?.error).toMatch(/MiB|bytes|too large|exceed|limit/i);
    expect(task(view, 'after').status).toBe('skipped');
    expect(view.status).toBe('failed');
  });

  it('an ::output:: line that is not JSON fails the task with a clear error', async () => {
    const name = uniqueName('badjson');
    await engine.deploy(`
name: ${name}
tasks:
  bad: { kind: shell, command: "echo '::output:: {not json'" }
`);
    const view = await engine.waitForRun(await engine.run(name), 20_000);
    const bad = task(view, 'bad');
    expect(bad.status).toBe('failed');
    expect(bad.error ?? bad.attemptHistory[0]?.error).toMatch(/output/i);
  });
});
