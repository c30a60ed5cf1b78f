/**
 * Errors that reach clients: a tRPC code, a message written for people, and (for bad input) the
 * list of problems with the path of the field each is about. Nothing else leaves the server.
 */
import { TRPCError } from '@trpc/server';

export interface Issue {
  /** Dotted path of the field, e.g. `tasks.extract.retries` or `params.table` ('' = the whole input). */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** Carries field issues from a handler to the error formatter. */
export class IssuesCause extends Error {
  override name = 'IssuesCause';
  constructor(readonly issues: Issue[]) {
    super('input issues');
  }
}

export function badRequest(message: string, issues: Issue[] = []): TRPCError {
  return new TRPCError({ code: 'BAD_REQUEST', message, cause: new IssuesCause(issues) });
}

export function notFound(what: string): TRPCError {
  return new TRPCError({ code: 'NOT_FOUND', message: `${what} not found` });
}

export function forbidden(message: string): TRPCError {
  return new TRPCError({ code: 'FORBIDDEN', message });
}

export function conflict(message: string): TRPCError {
  return new TRPCError({ code: 'CONFLICT', message });
}

/** `a.b[0]` style path from zod's path segments. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}
