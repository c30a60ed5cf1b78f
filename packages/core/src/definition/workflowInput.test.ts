// The author-facing types accept what the docs show, and the normalized types describe the output.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { NormalizedTask, NormalizedWorkflow, TaskOfKind } from './types';
import { validateWorkflow } from './validateWorkflow';
import { workflowDefinitionSchema } from './workflowDefinitionSchema';
import type { WorkflowInput } from './workflowSchema';

describe('WorkflowInput', () => {
  it('types a workflow as written in YAML, and validates it', () => {
    const input: WorkflowInput = {
      name: 'typed',
      params: { day: { type: 'string', format: 'date', default: '2024-01-01' } },
      defaults: { timeout: '5m', retries: { maxAttempts: 2 } },
      schedules: [{ cron: '@daily', timezone: 'Europe/Berlin' }],
      triggers: [{ event: 'go', filter: { 'a.b': 1, c: { in: ['x'] } } }],
      tasks: {
        a: { kind: 'shell', command: 'echo {{ params.day }}', timeout: 30 },
        b: {
          kind: 'http',
          needs: ['a'],
          request: { url: 'https://x.test', method: 'post', body: { k: 1 } },
        },
        c: { kind: 'python', needs: 'b', script: 'print(1)' },
      },
    };
    expect(validateWorkflow(input).ok).toBe(true);
  });

  it('narrows normalized tasks by kind', () => {
    expectTypeOf<TaskOfKind<'shell'>['command']>().toEqualTypeOf<string>();
    expectTypeOf<TaskOfKind<'http'>['request']['method']>().toEqualTypeOf<
      'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'
    >();
    expectTypeOf<NormalizedTask['timeoutMs']>().toEqualTypeOf<number | null>();
    expectTypeOf<NormalizedWorkflow['schedules'][number]['catchup']>().toEqualTypeOf<
      'none' | 'latest' | 'all'
    >();
  });
});

describe('workflowDefinitionSchema', () => {
  it('parses to the normalized workflow, or fails with the same paths and messages', () => {
    const ok = workflowDefinitionSchema.safeParse({ name: 'z', tasks: { a: { kind: 'noop' } } });
    expect(ok.success && ok.data.tasks.a).toMatchObject({ kind: 'noop', needs: [], result: null });
    const bad = workflowDefinitionSchema.safeParse({
      name: 'z',
      tasks: { a: { kind: 'noop', needs: ['b'] } },
    });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path, i.message])).toEqual([
      [['tasks', 'a', 'needs', 0], 'unknown task "b" (the workflow has no other task)'],
    ]);
  });
});
