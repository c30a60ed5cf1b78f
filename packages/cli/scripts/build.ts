// `npm run build -w @dtss/cli`: dist/main.js, which bin/dtss.js runs when installed from the tarball.
import path from 'node:path';
import { buildNodePackage } from '../../../scripts/lib/build-package';

await buildNodePackage({
  dir: path.resolve(import.meta.dirname, '..'),
  entries: { main: 'src/main.ts' },
});
