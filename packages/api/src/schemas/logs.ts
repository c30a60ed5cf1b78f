import { z } from 'zod';
import { id, int4, limit } from './common';

export const logsAttempt = z.object({
  runId: id,
  task: z.string().min(1).max(100),
  /** Attempt number, 1-based. */
  attempt: int4.min(1),
  /** `nextCursor` of the previous page: the last chunk seq read. */
  cursor: int4.min(0).nullish(),
  /** Chunks per page (each holds many lines). */
  limit: limit(500, 100),
});
export const logsSearch = z.object({
  runId: id,
  query: z.string().min(1).max(200),
  limit: limit(1000, 200),
  /** `nextCursor` of the previous page: a chunk id (int8, so at most 18 digits here). */
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'must be the nextCursor of a previous page')
    .nullish(),
});
