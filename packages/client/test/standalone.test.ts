// @dtss/client installs without the database layer: nothing under src imports @dtss/db (not even
// types), and the run types it declares for that reason are still exactly the server's.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type * as db from '@dtss/db';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type {
  DtssClient,
  RunStatus,
  RunView,
  TaskAttemptView,
  TaskRunView,
  TaskStatus,
} from '../src';

const PACKAGE_DIR = path.resolve(import.meta.dirname, '..');
const SRC_DIR = path.join(PACKAGE_DIR, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.[cm]?[jt]sx?$/.test(entry.name) ? [file] : [];
  });
}

/** Specifiers of `import/export … from`, `import '…'`, `import(…)` and `require(…)`. */
function moduleSpecifiers(code: string): string[] {
  const pattern =
    /\b(?:from|import)\s*['"]([^'"]+)['"]|\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g;
  return [...code.matchAll(pattern)].map((m) => (m[1] ?? m[2])!);
}

const isDb = (specifier: string) => specifier === '@dtss/db' || specifier.startsWith('@dtss/db/');

describe('@dtss/client stands alone', () => {
  it('finds imports of every form (the check below can fail)', () => {
    const code = [
      "import type { RunView } from '@dtss/db';",
      "import { createPool } from '@dtss/db/testing';",
      "export * from '@dtss/db';",
      "import '@dtss/db';",
      "const m = await import('@dtss/db');",
      'import {\n  a,\n  b,\n} from "@dtss/db";',
      "import { x } from '@dtss/dbx';",
    ].join('\n');
    expect(moduleSpecifiers(code).filter(isDb)).toHaveLength(6);
  });

  it('no file under src imports @dtss/db', () => {
    const files = sourceFiles(SRC_DIR);
    expect(files.length).toBeGreaterThan(0);
    const offenders = files.flatMap((file) =>
      moduleSpecifiers(readFileSync(file, 'utf8'))
        .filter(isDb)
        .map((specifier) => `${path.relative(PACKAGE_DIR, file)}: ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('exports its sources in the workspace (a pack that died left the tarball manifest)', () => {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    expect(
      pkg.exports,
      'restore it: node packages/client/scripts/pack-manifest.mjs postpack',
    ).toEqual({ '.': './src/index.ts' });
  });

  it('does not depend on @dtss/db', () => {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string> | undefined
    >;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
      expect(Object.keys(pkg[field] ?? {}), field).not.toContain('@dtss/db');
    }
  });

  it("declares the server's run types (checked by tsc)", () => {
    expectTypeOf<RunStatus>().toEqualTypeOf<db.RunStatus>();
    expectTypeOf<TaskStatus>().toEqualTypeOf<db.TaskStatus>();
    expectTypeOf<TaskAttemptView>().toEqualTypeOf<db.TaskAttemptView>();
    expectTypeOf<TaskRunView>().toEqualTypeOf<db.TaskRunView>();
    expectTypeOf<RunView>().toEqualTypeOf<db.RunView>();
    // runs.get answers a RunView, as the stream snapshots do.
    expectTypeOf<
      Awaited<ReturnType<DtssClient['runs']['get']['query']>>
    >().toEqualTypeOf<RunView>();
  });
});
