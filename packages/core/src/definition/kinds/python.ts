// python: runs Python on the worker, inline or from a file.
import { z } from 'zod';
import { exactlyOneSource, scriptFields } from './scriptKind';
import { defineKind } from './types';

export const pythonKind = defineKind({
  kind: 'python',
  description: 'Run a Python script (inline `script` or a `file`) with python3 by default.',
  configSchema: z.strictObject({
    ...scriptFields,
    /** Interpreter to run, e.g. "python3.12" or a virtualenv's bin/python. */
    python: z
      .string()
      .regex(/^\S+$/, {
        error: (iss) =>
          `invalid interpreter "${String(iss.input)}": give one program, without options`,
      })
      .default('python3'),
  }),
  templateFields: ['args.*'],
  checkConfig: exactlyOneSource('python'),
});
