// Shared shape of the interpreter kinds (node, python): inline `script` or a `file`, plus `args`.
import { z } from 'zod';
import { stringish } from '../fields';
import type { Issue } from '../issue';

export const scriptFields = {
  /** Inline source. Not templated (it is code): read params from env vars or DTSS_PARAMS. */
  script: z.string().min(1).nullable().default(null),
  /** Path of a source file on the worker, relative to workingDir. */
  file: z.string().min(1).nullable().default(null),
  /** Command-line arguments, templated. */
  args: z.array(stringish).default([]),
};

export function exactlyOneSource(kind: string) {
  return (raw: Record<string, unknown>): Issue[] => {
    const hasScript = raw.script !== undefined && raw.script !== null;
    const hasFile = raw.file !== undefined && raw.file !== null;
    if (hasScript && hasFile) {
      return [
        { path: ['file'], message: `give either "script" or "file" for kind ${kind}, not both` },
      ];
    }
    if (!hasScript && !hasFile) {
      return [{ path: [], message: `missing required field "script" or "file" for kind ${kind}` }];
    }
    return [];
  };
}
