// shell: runs `command` with `<shell> -c <command>` on the worker.
import { z } from 'zod';
import { defineKind } from './types';

export const shellKind = defineKind({
  kind: 'shell',
  description: 'Run a shell command (sh -c by default); a non-zero exit code fails the attempt.',
  configSchema: z.strictObject({
    command: z.string().min(1),
    /** Interpreter invoked as `<shell> -c <command>`: "sh" (default), "bash", or an absolute path. */
    shell: z
      .string()
      .regex(/^\S+$/, {
        error: (iss) =>
          `invalid shell "${String(iss.input)}": give one program such as "sh" or "bash", without options`,
      })
      .default('sh'),
  }),
  templateFields: ['command'],
});
