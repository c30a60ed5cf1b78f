#!/usr/bin/env node
// `dtss-scheduler`: the compiled scheduler (dist/scheduler.js, built by `npm run build -w @dtss/worker`). In a
// checkout, `npm start` builds and runs the same dist/ files.
import { existsSync } from 'node:fs';

const compiled = new URL('../dist/scheduler.js', import.meta.url);
if (!existsSync(compiled)) {
  console.error(
    'dtss-scheduler: dist/scheduler.js is missing: run `npm run build -w @dtss/worker` first',
  );
  process.exit(1);
}
await import(compiled.href);
