import { describe, expect, it } from 'vitest';
import { validateWorkflow } from '../definition/validateWorkflow';
import { renderTask } from './renderTask';

function task(def: Record<string, unknown>) {
  const result = validateWorkflow({
    name: 'w',
    params: { n: { type: 'integer' } },
    tasks: { up: { kind: 'noop' }, t: { needs: ['up'], ...def } },
  });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.workflow.tasks.t!;
}

describe('renderTask', () => {
  it('fills command, env and http fields, leaving the original untouched', () => {
    const shell = task({
      kind: 'shell',
      command: 'echo {{ params.n }} {{ tasks.up.output.x }}',
      env: { A: '{{ run.id }}' },
    });
    const out = renderTask(shell, {
      params: { n: 3 },
      tasks: { up: { output: { x: 'y' } } },
      run: { id: 'r1', logical_date: 'd' },
    });
    expect(out).toMatchObject({ command: 'echo 3 y', env: { A: 'r1' } });
    expect(shell).toMatchObject({ command: 'echo {{ params.n }} {{ tasks.up.output.x }}' });

    const http = task({
      kind: 'http',
      request: { url: 'http://h/{{ params.n }}', body: { a: ['{{ params.n }}'] } },
    });
    expect(renderTask(http, { params: { n: 7 } })).toMatchObject({
      request: { url: 'http://h/7', body: { a: ['7'] } },
    });
  });

  it('throws naming the expression when a value is missing', () => {
    const shell = task({ kind: 'shell', command: 'echo {{ tasks.up.output.missing }}' });
    expect(() => renderTask(shell, { tasks: { up: { output: {} } } })).toThrow(
      /tasks\.up\.output\.missing/,
    );
  });
});
