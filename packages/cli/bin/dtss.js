#!/usr/bin/env node
// The `dtss` command. The workspace has no build step, so this shim loads tsx's ESM hooks and then
// runs the TypeScript entry point.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
