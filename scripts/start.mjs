// `npm start`: compiles the launcher (scripts/start.ts) and the embedded database's helper with
// esbuild into scripts/.build/, then runs them as plain JavaScript, so that no process of
// `npm start` keeps a TypeScript loader alive. Workspace packages (@dtss/*, which export their
// TypeScript sources) are bundled in; every other package stays an import from node_modules.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, stop } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'scripts/.build');

/** Bare imports other than @dtss/* are left to Node, which finds them in node_modules. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@dtss/') ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  entryPoints: {
    start: path.join(root, 'scripts/start.ts'),
    'db-process': path.join(root, 'packages/db/src/postgres/db-process.ts'),
  },
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [externalPackages],
  // Bundled CommonJS code may call require(): give ESM output one.
  banner: {
    js: "import { createRequire as __dtssCreateRequire } from 'node:module'; const require = __dtssCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  logLevel: 'warning',
});
// The build is done: esbuild's service process need not live on beside the launcher.
await stop();

// The bundles no longer sit where their sources did: tell them where the repository is.
process.env.DTSS_REPO_ROOT = root;
process.env.DTSS_MIGRATIONS_DIR ??= path.join(root, 'prisma/migrations');
process.setSourceMapsEnabled(true);
await import(pathToFileURL(path.join(outdir, 'start.js')).href);
