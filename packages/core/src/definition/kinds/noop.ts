// noop: finishes at once without a process; for engine tests, benchmarks and join points.
import { z } from 'zod';
import { jsonValueSchema } from '../fields';
import { defineKind } from './types';

export const noopKind = defineKind({
  kind: 'noop',
  description: 'Do nothing and succeed at once (join points, tests, engine benchmarks).',
  configSchema: z.strictObject({
    /** The task's output, as if it had printed `::output:: <result>`. */
    result: jsonValueSchema.nullable().default(null),
  }),
  templateFields: [],
});
