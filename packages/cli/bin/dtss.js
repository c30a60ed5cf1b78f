#!/usr/bin/env node
// The `dtss` command. Installed from its package, it runs the compiled dist/main.js (Node only).
// In a checkout (src/ beside this file) it runs the TypeScript sources through tsx, so no build
// step stands between an edit and the next command.
import { existsSync } from 'node:fs';

const source = new URL('../src/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/main.js');
}
