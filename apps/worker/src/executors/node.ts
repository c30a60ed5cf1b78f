// node: an inline ES module or a file, on the worker's own Node.js. TypeScript files (.ts, .mts,
// .cts) run through tsx, resolved from the worker's install so the task's directory needs none.
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TaskOfKind } from '@dtss/core';
import { runProcessTask } from './processTask';
import type { Executor } from './types';

const TYPESCRIPT_FILE = /\.[cm]?ts$/;

export const nodeExecutor: Executor = {
  kind: 'node',
  execute(req) {
    const task = req.task as TaskOfKind<'node'>;
    return runProcessTask(req, async (attemptDir) => {
      let entry = task.file;
      if (entry === null) {
        // .mjs: the kind documents inline scripts as ES modules (import, top-level await).
        entry = join(attemptDir, 'script.mjs');
        await writeFile(entry, task.script ?? '');
      }
      const loader = TYPESCRIPT_FILE.test(entry) ? ['--import', tsxLoaderUrl()] : [];
      return { command: process.execPath, args: [...loader, entry, ...task.args.map(String)] };
    });
  },
};

let tsxUrl: string | undefined;
function tsxLoaderUrl(): string {
  tsxUrl ??= pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return tsxUrl;
}
