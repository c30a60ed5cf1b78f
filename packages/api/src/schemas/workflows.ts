import { LIMITS, TASK_ID_PATTERN } from '@dtss/core';
import { z } from 'zod';
import { definitionText, id, int4, limit, workflowRef } from './common';

export const workflowsList = z.object({
  search: z.string().trim().max(200).optional(),
  /** Only workflows with this tag (exact, case-insensitive). */
  tag: z.string().trim().min(1).max(50).optional(),
  includeArchived: z.boolean().default(false),
  limit: limit(200, 50),
  /** `nextCursor` of the previous page (the last workflow name). */
  cursor: z.string().max(200).nullish(),
});
export const workflowsGet = z.object({ workflow: workflowRef });

/** Canvas coordinates are bounded so a broken client cannot store values no canvas can show. */
export const MAX_LAYOUT_COORDINATE = 1e7;
/** One entry per task at most, so as many as a workflow may have tasks. */
export const MAX_LAYOUT_ENTRIES = LIMITS.maxTasks;

const layoutCoordinate = z
  .number({
    error: (iss) => (iss.input === undefined ? 'required' : 'must be a finite number'),
  })
  .min(
    -MAX_LAYOUT_COORDINATE,
    `must be between -${MAX_LAYOUT_COORDINATE} and ${MAX_LAYOUT_COORDINATE}`,
  )
  .max(
    MAX_LAYOUT_COORDINATE,
    `must be between -${MAX_LAYOUT_COORDINATE} and ${MAX_LAYOUT_COORDINATE}`,
  );

const layoutPosition = z.object(
  { x: layoutCoordinate, y: layoutCoordinate },
  { error: 'must be an object { x, y }' },
);

/**
 * The editor's node positions, `{ "<taskId>": { x, y } }`. The entry count is checked before the
 * entries, so an oversized layout gets one clear error instead of thousands.
 */
export const workflowLayout = z
  .record(z.string(), z.unknown(), { error: 'must be an object of task id → { x, y }' })
  .refine((layout) => Object.keys(layout).length <= MAX_LAYOUT_ENTRIES, {
    error: (iss) =>
      `has ${Object.keys(iss.input as object).length} entries, at most ${MAX_LAYOUT_ENTRIES} allowed`,
    abort: true,
  })
  .pipe(
    z.record(z.string().regex(TASK_ID_PATTERN), layoutPosition, {
      error: (iss) =>
        iss.code === 'invalid_key'
          ? `invalid task id ${JSON.stringify(iss.input)}: use up to 64 letters, digits, "_" or "-", starting with a letter or "_"`
          : undefined,
    }),
  );

export const workflowsApply = definitionText.extend({ layout: workflowLayout.optional() });
export const workflowsArchive = z.object({ workflowId: id });
export const workflowsValidate = definitionText;
export const workflowsExportYaml = z.object({
  workflow: workflowRef,
  /** A version number; default: the current version. */
  version: int4.min(1).optional(),
});
