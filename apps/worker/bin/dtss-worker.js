#!/usr/bin/env node
// `dtss-worker`: the compiled worker (dist/main.js, built by `npm run build -w @dtss/worker`). In a
// checkout, `npm start` builds and runs the same dist/ files.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/main.js', import.meta.url);
if (!existsSync(compiled)) {
  console.error('dtss-worker: dist/main.js is missing: run `npm run build -w @dtss/worker` first');
  process.exit(1);
}
await import(compiled.href);
