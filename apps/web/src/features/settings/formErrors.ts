// A settings form's field errors: the shared zod schema's (from `@dtss/api/forms`, the rules the
// API applies) once the form was submitted, and the server's answer placed on its field.
import type { z } from 'zod';
import { issuesByField } from '@/features/schedules/formIssues';
import { errorCode, errorIssues, errorMessage } from '@/trpc/errors';

export type FieldErrors = Record<string, string[]>;

/** The schema's issues by top-level field ('' for the form as a whole); empty when it parses. */
export function schemaErrors(schema: z.ZodType, value: unknown): FieldErrors {
  const parsed = schema.safeParse(value);
  if (parsed.success) return {};
  const out: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : '';
    (out[field] ??= []).push(issue.message);
  }
  return out;
}

/** A readable sentence for an API error code (the API's own message follows it). */
const CODE_TEXT: Record<string, string> = {
  FORBIDDEN: 'Not allowed',
  CONFLICT: 'Not possible',
  NOT_FOUND: 'Not found (it may have been removed meanwhile)',
  UNAUTHORIZED: 'Your session has ended: sign in again',
  TOO_MANY_REQUESTS: 'Too many requests: wait a moment',
};

export function serverErrorText(err: unknown): string {
  const code = errorCode(err);
  const head = code ? CODE_TEXT[code] : undefined;
  const message = errorMessage(err);
  return head ? `${head}: ${message}` : message;
}

/**
 * The server's issues by field. A CONFLICT without issues belongs to `conflictField` (a name taken);
 * any other error without issues to the form ('').
 */
export function serverErrors(
  err: unknown,
  fields: readonly string[],
  conflictField?: string,
): FieldErrors {
  if (!err) return {};
  const byField = issuesByField(errorIssues(err), fields);
  if (Object.keys(byField).length === 0) {
    const field = errorCode(err) === 'CONFLICT' && conflictField ? conflictField : '';
    byField[field] = [serverErrorText(err)];
  }
  return byField;
}

/** Both kinds for one field (the schema's only after a submit). */
export function mergeErrors(
  local: FieldErrors,
  server: FieldErrors,
  submitted: boolean,
): (field: string) => string[] {
  return (field) => [...(submitted ? (local[field] ?? []) : []), ...(server[field] ?? [])];
}
