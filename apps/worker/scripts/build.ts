// `npm run build -w @dtss/worker`: the worker, the scheduler and the task reaper (a process the
// worker starts beside itself) as dist/*.js, which bin/dtss-worker.js and bin/dtss-scheduler.js run
// when installed from the tarball, and `npm start` runs in a checkout.
import path from 'node:path';
import { buildNodePackage } from '../../../scripts/lib/build-package';

/**
 * `dir`: apps/worker (passed in by a caller bundled elsewhere, e.g. npm start's launcher);
 * `outdir`: relative to it (the tests build their own copy, see test/compiled-worker.ts).
 */
export function buildWorker(
  dir = path.resolve(import.meta.dirname, '..'),
  outdir = 'dist',
): Promise<void> {
  return buildNodePackage({
    dir,
    outdir,
    entries: {
      main: 'src/main.ts',
      scheduler: 'src/scheduler/main.ts',
      groupReaperMain: 'src/executors/groupReaperMain.ts',
    },
  });
}

if (process.argv[1] === import.meta.filename) await buildWorker();
