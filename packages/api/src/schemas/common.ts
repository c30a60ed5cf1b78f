// Building blocks shared by the procedures' input schemas.
import { LIMITS, RUN_STATUSES, storableDate, TRIGGER_KINDS } from '@dtss/core';
import { z } from 'zod';
import { TEAM_ROLES } from '../roles';

export const id = z.guid();

/**
 * How deep any input may nest: room for an envelope around a JSON value (params, payloads) of the
 * deepest kind a workflow may hold. Deeper input is refused before its schema runs.
 */
export const MAX_INPUT_DEPTH = LIMITS.maxDocumentDepth;
export const teamRole = z.enum(TEAM_ROLES);
/** Integers the database stores as int4: larger ones are input errors, not SQL errors. */
export const int4 = z.number().int().max(2_147_483_647);
export const limit = (max: number, def: number) => z.number().int().min(1).max(max).default(def);

/** Keyset cursor of lists ordered by (createdAt, id), newest first. */
export const timeCursor = z.object({ createdAt: storableDate(), id });

export const runStatus = z.enum(RUN_STATUSES);
export const triggerKind = z.enum(TRIGGER_KINDS);

/** A workflow by id (uuid) or by name within the team. */
export const workflowRef = z.string().trim().min(1).max(200);

/** Workflow files: YAML or JSON text, 1 MiB at most. */
export const MAX_DEFINITION_CHARS = 1024 * 1024;
export const definitionText = z.object({
  text: z.string().min(1).max(MAX_DEFINITION_CHARS),
  format: z.enum(['yaml', 'json']).optional(),
});
