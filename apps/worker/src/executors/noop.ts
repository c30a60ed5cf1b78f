// noop: succeeds at once with the task's `result` as output. No process, no I/O: benchmarks
// measure the engine through it.
import type { TaskOfKind } from '@dtss/core';
import type { Executor } from './types';

export const noopExecutor: Executor = {
  kind: 'noop',
  execute(req) {
    return Promise.resolve({
      outcome: 'succeeded',
      output: (req.task as TaskOfKind<'noop'>).result,
    });
  },
};
