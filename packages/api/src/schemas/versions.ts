import { z } from 'zod';
import { id } from './common';

export const versionsList = z.object({ workflowId: id });
export const versionsGet = z.object({
  versionId: id,
  /** False: no `definitionText` (a page that draws the graph needs none; YAML of 1,000 tasks costs ~0.1 s). */
  withText: z.boolean().default(true),
});
export const versionsDiff = z.object({
  fromVersionId: id,
  toVersionId: id,
  /** Unchanged lines shown around each change. */
  context: z.number().int().min(0).max(100).default(3),
});
