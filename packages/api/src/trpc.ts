/**
 * The tRPC server in three parts (create-t3-turbo's layout):
 * 1. context: the database, the actor (user or API token) and the caller's IP;
 * 2. initialisation: superjson (dates survive the wire) and an error formatter that returns field
 *    issues with their paths and never a stack trace or an internal message;
 * 3. procedures: public, authed (any actor), user-only, and team procedures with a minimum role.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { DATABASE_UNAVAILABLE_DIGEST, findUnstorable } from '@dtss/core';
import {
  findTeamBySlug,
  getUser,
  isDatabaseUnavailable,
  type AuditRecord,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import superjson from 'superjson';
import { z, ZodError } from 'zod';
import { roleAtLeast, roleInTeam, type Actor, type TeamRole } from './actor';
import { badRequest, formatIssuePath, IssuesCause, notFound, type Issue } from './errors';
import { apiRequestObserved } from './observe';
import { apiTracing, traceCall } from './tracing';
import { MAX_INPUT_DEPTH } from './schemas/common';

// ── 1. Context ────────────────────────────────────────────────────────────────────────────────

export interface ApiContext {
  pool: Pool;
  prisma: PrismaClient;
  actor: Actor | null;
  /** The caller's address, recorded in audit entries. */
  ip: string | null;
  /** DTSS_SECRETS_KEY; secrets procedures refuse to work without it. */
  secretsKey: string | null;
  /** Events a team may publish per minute. */
  eventsPerMinute?: number;
  /**
   * Emails of the deployment's operators (DTSS_OPERATORS): the only people who may act on
   * cluster-wide things (draining workers). Team roles never grant that: anyone who signs up owns
   * a team of their own.
   */
  operators?: readonly string[];
}

// ── 2. Initialisation ─────────────────────────────────────────────────────────────────────────

export interface ErrorData {
  code: string;
  httpStatus: number;
  path?: string;
  /** Input problems, each with the path of its field. Empty for other errors. */
  issues: Issue[];
}

const t = initTRPC.context<ApiContext>().create({
  transformer: superjson,
  // Stack traces stay on the server whatever NODE_ENV says.
  isDev: false,
  errorFormatter({ shape, error }) {
    const issues = issuesOf(error);
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    const message = internal
      ? 'internal error'
      : error.cause instanceof ZodError
        ? `invalid input: ${issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; ')}`
        : shape.message;
    const data: ErrorData = {
      code: shape.data.code,
      httpStatus: shape.data.httpStatus,
      ...(shape.data.path ? { path: shape.data.path } : {}),
      issues,
    };
    return { code: shape.code, message, data };
  },
});

function issuesOf(error: TRPCError): Issue[] {
  if (error.cause instanceof ZodError) {
    return error.cause.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
  }
  if (error.cause instanceof IssuesCause) return error.cause.issues;
  return [];
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// ── 3. Procedures ─────────────────────────────────────────────────────────────────────────────

/** What a caller is told while the database cannot be reached (HTTP 503, retry later). */
export function databaseUnavailable(cause: unknown): TRPCError {
  const error = new TRPCError({
    code: 'SERVICE_UNAVAILABLE',
    message: 'the database is unavailable right now (restarting or unreachable); try again shortly',
    cause,
  });
  // A page rendered on the server that fails with it tells the browser why (see the digest).
  return Object.assign(error, { digest: DATABASE_UNAVAILABLE_DIGEST });
}

/**
 * Outermost: every call's procedure, outcome and duration go to the metrics (observe.ts), and,
 * with tracing enabled, each call is a span linked to the runs it created (tracing.ts).
 */
const observed = t.procedure.use(async ({ path, type, next }) => {
  const started = performance.now();
  const result = apiTracing
    ? await traceCall(
        `trpc ${path}`,
        { 'rpc.system': 'trpc', 'rpc.method': path, 'dtss.api.type': type },
        () => next(),
        (r) => (r.ok ? null : `${r.error.code}: ${r.error.message}`),
      )
    : await next();
  apiRequestObserved({
    procedure: path,
    type,
    code: result.ok ? 'OK' : result.error.code,
    seconds: (performance.now() - started) / 1000,
  });
  return result;
});

/**
 * Every input, before its schema: strings (and keys) Postgres can store — no NUL, no unpaired
 * surrogate — nested at most MAX_INPUT_DEPTH levels. One check for every string of every
 * procedure, instead of a refinement on each field (a text column refuses a NUL even in a WHERE).
 */
const storableInput = observed.use(async ({ getRawInput, next }) => {
  const problem = findUnstorable(await getRawInput(), MAX_INPUT_DEPTH);
  if (problem) {
    const path = formatIssuePath(problem.path);
    throw badRequest(`invalid input: ${path || '(input)'}: ${problem.message}`, [
      { path, message: problem.message },
    ]);
  }
  return next();
});

/** A database outage is the server's state, not the caller's mistake nor a bug: 503, not 500. */
const base = storableInput.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) {
    throw databaseUnavailable(result.error.cause);
  }
  return result;
});

export const publicProcedure = base;

/** Any signed-in user or valid API token. */
export const authedProcedure = base.use(({ ctx, next }) => {
  if (!ctx.actor)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'sign in or send an API token' });
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** Signed-in people only: things a token must never do (create teams, accept invitations). */
export const userProcedure = authedProcedure.use(({ ctx, next }) => {
  const actor = ctx.actor;
  if (actor.type !== 'user') {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: 'this needs a signed-in user, not an API token',
    });
  }
  return next({ ctx: { ...ctx, actor } });
});

export type AuthedContext = ApiContext & { actor: Actor };

export interface TeamAccess {
  id: string;
  role: TeamRole;
}

/**
 * Checks that the actor holds at least `min` in the team. A team the actor does not belong to
 * (or a team derived from an object that does not exist) is NOT_FOUND, so ids of other teams'
 * objects never leak; a role too weak is FORBIDDEN.
 */
export async function authorize(
  ctx: AuthedContext,
  teamId: string | null,
  min: TeamRole,
  what = 'object',
): Promise<TeamAccess> {
  const role = teamId ? await roleInTeam(ctx.pool, ctx.actor, teamId) : null;
  if (!teamId || !role) throw notFound(what);
  if (!roleAtLeast(role, min)) {
    throw new TRPCError({
      code: 'FORBIDDEN',
      message: `this needs the ${min} role (you are ${role})`,
    });
  }
  return { id: teamId, role };
}

const teamInput = z.object({
  /** The team by id; optional for API tokens, which act in their own team. */
  teamId: z.guid().optional(),
  /** ...or by slug (for people typing commands). */
  teamSlug: z.string().min(1).max(48).optional(),
});

/** Procedures acting on a team named by `teamId` in the input (a token's own team by default). */
export function teamProcedure(min: TeamRole) {
  return authedProcedure.input(teamInput).use(async ({ ctx, input, next }) => {
    const bySlug = input.teamSlug ? await findTeamBySlug(ctx.pool, input.teamSlug) : null;
    if (input.teamSlug && !bySlug) throw notFound('team');
    if (bySlug && input.teamId && bySlug.id !== input.teamId) {
      throw badRequest('teamId and teamSlug name different teams', [
        { path: 'teamSlug', message: 'does not match teamId' },
      ]);
    }
    const teamId =
      input.teamId ?? bySlug?.id ?? (ctx.actor.type === 'token' ? ctx.actor.teamId : null);
    if (!teamId) {
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: 'teamId (or teamSlug) is required',
        cause: new IssuesCause([{ path: 'teamId', message: 'required' }]),
      });
    }
    const team = await authorize(ctx, teamId, min, 'team');
    return next({ ctx: { ...ctx, team } });
  });
}

/** The actor is one of the deployment's operators (a token: when its creator is one). */
export async function isOperator(ctx: AuthedContext): Promise<boolean> {
  const operators = (ctx.operators ?? []).map((e) => e.trim().toLowerCase()).filter(Boolean);
  if (operators.length === 0) return false;
  const email =
    ctx.actor.type === 'user'
      ? ctx.actor.email
      : ctx.actor.userId
        ? (await getUser(ctx.pool, ctx.actor.userId))?.email
        : null;
  return Boolean(email && operators.includes(email.toLowerCase()));
}

/** The audit record of a mutation made by this context's actor. */
export function auditOf(
  ctx: AuthedContext,
  teamId: string,
  action: string,
  target: { type: string; id: string | null } | null,
  summary: Record<string, unknown> = {},
): AuditRecord {
  return {
    teamId,
    actorUserId: ctx.actor.type === 'user' ? ctx.actor.userId : null,
    actorTokenId: ctx.actor.type === 'token' ? ctx.actor.tokenId : null,
    action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    summary,
    ip: ctx.ip,
  };
}

/** The user to record as author (a token's creator when a token acts). */
export function authorId(ctx: AuthedContext): string | null {
  return ctx.actor.userId;
}
