// The `dtss` command the tests run: the compiled program (as installed), built once per test run
// by build-cli.global.ts into a folder of its own, so that `npm pack` rebuilding dist/ meanwhile
// (packages/client/test/installed.test.ts) cannot pull it from under a running test. Starting
// compiled JavaScript takes a fraction of the time tsx needs for the sources.
import path from 'node:path';

export const CLI_OUTDIR = '.build/test';
export const CLI_MAIN = path.resolve(import.meta.dirname, '..', CLI_OUTDIR, 'main.js');
