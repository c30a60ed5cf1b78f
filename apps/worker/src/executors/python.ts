// python: an inline script or a file, run with the task's interpreter (python3 by default).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskOfKind } from '@dtss/core';
import { runProcessTask } from './processTask';
import type { Executor } from './types';

export const pythonExecutor: Executor = {
  kind: 'python',
  execute(req) {
    const task = req.task as TaskOfKind<'python'>;
    return runProcessTask(req, async (attemptDir) => {
      let entry = task.file;
      if (entry === null) {
        entry = join(attemptDir, 'script.py');
        await writeFile(entry, task.script ?? '');
      }
      return {
        command: task.python,
        args: [entry, ...task.args.map(String)],
        // Unbuffered, so lines reach the log as they are printed, not at exit.
        env: { PYTHONUNBUFFERED: '1' },
      };
    });
  },
};
