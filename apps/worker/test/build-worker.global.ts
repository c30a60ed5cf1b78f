// vitest globalSetup: builds the worker and scheduler the tests start (see compiled-worker.ts).
// Several projects list it; the first build of the run is shared through the environment.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { buildWorker } from '../scripts/build';
import { COMPILED_WORKER_ENV } from './compiled-worker';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env[COMPILED_WORKER_ENV]) return;
  const dir = path.resolve(import.meta.dirname, '..');
  const outdir = `.build/test-${process.pid}-${randomBytes(3).toString('hex')}`;
  await buildWorker(dir, outdir);
  process.env[COMPILED_WORKER_ENV] = path.join(dir, outdir);
  return () => rm(path.join(dir, outdir), { recursive: true, force: true });
}
