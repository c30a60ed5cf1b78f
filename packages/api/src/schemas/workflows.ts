import { z } from 'zod';
import { definitionText, id, int4, limit, workflowRef } from './common';

export const workflowsList = z.object({
  search: z.string().trim().max(200).optional(),
  includeArchived: z.boolean().default(false),
  limit: limit(200, 50),
  /** `nextCursor` of the previous page (the last workflow name). */
  cursor: z.string().max(200).nullish(),
});
export const workflowsGet = z.object({ workflow: workflowRef });
export const workflowsApply = definitionText;
export const workflowsArchive = z.object({ workflowId: id });
export const workflowsValidate = definitionText;
export const workflowsExportYaml = z.object({
  workflow: workflowRef,
  /** A version number; default: the current version. */
  version: int4.min(1).optional(),
});
