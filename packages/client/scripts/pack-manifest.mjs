// npm cannot give a packed package.json other fields than the workspace's (no publishConfig
// overrides), and in the workspace `exports` names the TypeScript sources that every package and
// tool here imports. So `npm pack` swaps the manifest for the tarball's and puts it back after:
//   prepack:  package.json → .package.workspace.json; package.json gets `exports` → dist/.
//   postpack: the workspace manifest back.
// A pack that died between the two leaves the backup, which the next prepack restores first, and
// test/standalone.test.ts fails until then (`node scripts/pack-manifest.mjs postpack` restores it).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve(import.meta.dirname, '..');
const manifest = path.join(dir, 'package.json');
const backup = path.join(dir, '.package.workspace.json');

function restore() {
  if (existsSync(backup)) renameSync(backup, manifest);
}

const step = process.argv[2];
if (step === 'prepack') {
  restore();
  if (
    !existsSync(path.join(dir, 'dist/index.js')) ||
    !existsSync(path.join(dir, 'dist/index.d.ts'))
  ) {
    console.error('@dtss/client: dist/ is missing: run `npm run build -w @dtss/client` first');
    process.exit(1);
  }
  const text = readFileSync(manifest, 'utf8');
  const pkg = JSON.parse(text);
  pkg.exports = { '.': { types: './dist/index.d.ts', default: './dist/index.js' } };
  pkg.types = './dist/index.d.ts';
  // Scripts stay: should this pack die before postpack, the next pack's prepack restores it.
  writeFileSync(backup, text);
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (step === 'postpack') {
  restore();
} else {
  console.error('usage: pack-manifest.mjs prepack|postpack');
  process.exit(2);
}
