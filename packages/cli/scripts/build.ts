// `npm run build -w @dtss/cli`: dist/main.js, which bin/dtss.js runs when installed from the tarball.
import path from 'node:path';
import { buildNodePackage } from '../../../scripts/lib/build-package';

/** `outdir`: relative to packages/cli (the tests build their own copy, see test/cli-bin.ts). */
export function buildCli(outdir = 'dist'): Promise<void> {
  return buildNodePackage({
    dir: path.resolve(import.meta.dirname, '..'),
    entries: { main: 'src/main.ts' },
    outdir,
  });
}

if (process.argv[1] === import.meta.filename) await buildCli();
