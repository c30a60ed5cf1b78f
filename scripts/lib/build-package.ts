/**
 * Builds a Node program of the workspace (the CLI, the worker) into dist/ for installing from its
 * tarball on a machine with only Node: esbuild bundles its sources and the workspace packages it
 * uses (@dtss/*, which are not published), and leaves every other package an import. Those must be
 * exactly the package's `dependencies` (the build fails otherwise), so the tarball installs what
 * the program imports at run time and nothing else.
 */
import { readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';

export interface BuildOptions {
  /** The package's directory. */
  dir: string;
  /** Output name (dist/<name>.js) → entry file, relative to `dir`. */
  entries: Record<string, string>;
  /** Where the files go, relative to `dir` (default dist; tests build apart from it). */
  outdir?: string;
}

export async function buildNodePackage({
  dir,
  entries,
  outdir = 'dist',
}: BuildOptions): Promise<void> {
  const started = Date.now();
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
    dependencies?: Record<string, string>;
  };
  const dependencies = Object.keys(manifest.dependencies ?? {});
  const dist = path.join(dir, outdir);
  rmSync(dist, { recursive: true, force: true });
  const result = await build({
    entryPoints: Object.fromEntries(
      Object.entries(entries).map(([name, file]) => [name, path.join(dir, file)]),
    ),
    outdir: dist,
    bundle: true,
    // One self-contained file per entry: code that finds files beside itself (the worker's task
    // reaper) finds them in dist/, not in a chunk folder.
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: dependencies.flatMap((d) => [d, `${d}/*`]),
    // Bundled CommonJS code may call require(): give ESM output one.
    banner: {
      js: "import { createRequire as __dtssCreateRequire } from 'node:module'; const require = __dtssCreateRequire(import.meta.url);",
    },
    metafile: true,
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
  const isDependency = (i: string) => dependencies.some((d) => i === d || i.startsWith(`${d}/`));
  const strays = new Set(
    Object.values(result.metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external && !builtins.has(i.path) && !isDependency(i.path))
      .map((i) => i.path),
  );
  if (strays.size) {
    throw new Error(`${manifest.name}: dist/ imports ${[...strays].join(', ')}: not dependencies`);
  }
  // Only the workspace's own sources are bundled: a package from node_modules in the bundle is one
  // missing from `dependencies`.
  const bundled = new Set(
    Object.keys(result.metafile.inputs)
      .map((file) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1])
      .filter((name): name is string => name !== undefined),
  );
  if (bundled.size) {
    throw new Error(
      `${manifest.name}: bundles ${[...bundled].join(', ')}: list them as dependencies`,
    );
  }
  console.log(
    `${manifest.name} ${manifest.version}: ${outdir}/ built in ${(Date.now() - started) / 1000} s`,
  );
}
