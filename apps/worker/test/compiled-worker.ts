// How tests start a worker or scheduler process: the compiled program (as production runs it),
// which build-worker.global.ts builds once per test run into a folder of its own (so that
// `npm pack` rebuilding dist/ meanwhile cannot pull it from under a running test). Without that
// setup (a config that does not list it), the TypeScript sources run through tsx.
import path from 'node:path';

export const COMPILED_WORKER_ENV = 'DTSS_TEST_WORKER_BUILD';

const SOURCES = {
  main: '../src/main.ts',
  scheduler: '../src/scheduler/main.ts',
} as const;

/** Node's arguments that start `entry` (before the program's own arguments). */
export function workerProcessArgs(entry: keyof typeof SOURCES): string[] {
  const build = process.env[COMPILED_WORKER_ENV];
  if (build) return ['--enable-source-maps', path.join(build, `${entry}.js`)];
  return ['--import', 'tsx', path.resolve(import.meta.dirname, SOURCES[entry])];
}
