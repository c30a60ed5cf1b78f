#!/usr/bin/env node
/**
 * Generates the Prisma client into src/generated/prisma (git-ignored). Run by the root
 * `postinstall`, so it must work offline on a fresh clone and cost nothing when nothing changed:
 * it skips `prisma generate` when the schema, the Prisma versions and this script are the ones the
 * existing client was generated from (`--force` regenerates anyway).
 *
 * Prisma 7's CLI insists on a native schema engine even for `generate`, and that binary cannot be
 * downloaded here; PRISMA_SCHEMA_ENGINE_BINARY points it at a stub that only answers `--version`.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..');
const schemaPath = path.resolve(pkgDir, '../../prisma/schema.prisma');
const outDir = path.join(pkgDir, 'src/generated/prisma');
const stampPath = path.join(outDir, '.generated-from');
const stub = path.join(here, 'schema-engine-stub.sh');
const require = createRequire(import.meta.url);

function packageVersion(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return 'missing';
  }
}

const stamp = createHash('sha256')
  .update(readFileSync(schemaPath))
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .update(`prisma@${packageVersion('prisma')} @prisma/client@${packageVersion('@prisma/client')}`)
  .digest('hex');

const force = process.argv.includes('--force');
if (!force && existsSync(path.join(outDir, 'client.ts')) && existsSync(stampPath)) {
  if (readFileSync(stampPath, 'utf8').trim() === stamp) {
    console.log('Prisma client is up to date (src/generated/prisma); `--force` regenerates.');
    process.exit(0);
  }
}

// A checkout or archive may drop the executable bit; the CLI must be able to run the stub.
try {
  chmodSync(stub, 0o755);
} catch {
  // read-only checkout: the bit is most likely there already
}

const prismaCli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', schemaPath], {
  cwd: pkgDir,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    // No update check or telemetry: the machine may be offline, and install must not wait on it.
    CHECKPOINT_DISABLE: '1',
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  },
});
if (result.status !== 0) {
  console.error(`prisma generate failed (exit ${result.status ?? result.signal})`);
  process.exit(result.status ?? 1);
}
writeFileSync(stampPath, `${stamp}\n`);
