// node: runs JavaScript on the worker's Node.js, inline or from a file.
import { z } from 'zod';
import { exactlyOneSource, scriptFields } from './scriptKind';
import { defineKind } from './types';

export const nodeKind = defineKind({
  kind: 'node',
  description: 'Run a Node.js script (inline `script` as an ES module, or a `file`).',
  configSchema: z.strictObject({ ...scriptFields }),
  templateFields: ['args.*'],
  checkConfig: exactlyOneSource('node'),
});
