// shell: `<shell> -c <command>`; exit code 0 succeeds.
import type { TaskOfKind } from '@dtss/core';
import { runProcessTask } from './processTask';
import type { Executor } from './types';

export const shellExecutor: Executor = {
  kind: 'shell',
  execute(req) {
    const task = req.task as TaskOfKind<'shell'>;
    return runProcessTask(req, () => ({ command: task.shell, args: ['-c', task.command] }));
  },
};
