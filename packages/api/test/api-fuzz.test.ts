/**
 * Bad input at scale: EVERY procedure of the appRouter (enumerated from the router, so a new one is
 * fuzzed without editing this file) gets 150 generated inputs (FUZZ_RUNS) through the real HTTP
 * handler (createFetchHandler, as /api/trpc mounts it) on a real database with two teams: inputs
 * derived from the procedure's own zod schemas, broken with wrong types, huge strings, deep
 * nesting, odd unicode, odd numbers, and filled with real ids of the caller's team and of the
 * other team. Every answer must be a 4xx in the documented error shape (docs/API.md, "Errors"),
 * never a 500 or a hang, and the database must be unchanged afterwards.
 *
 * A plausible input may be valid by chance: a query may then answer 200; a mutation that would
 * act on the caller's own team is sent anonymously instead (401), so no call writes.
 */
import { findUnstorable } from '@dtss/core';
import { createApiToken, createInvitation, type TeamRole } from '@dtss/db';
import { snapshotTables } from '@dtss/db/testing';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import fc from 'fast-check';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { Actor } from '../src/actor';
import { createFetchHandler, MAX_BODY_BYTES } from '../src/http';
import { appRouter } from '../src/root';
import { MAX_INPUT_DEPTH } from '../src/schemas/common';
import {
  contextFor,
  newWorker,
  openWorld,
  teamFixture,
  tokenActor,
  userActor,
  workflowYaml,
  type TeamFixture,
  type World,
} from './fixtures';
import { isIdSchema, procedureInputs, shapeOf, type Pools } from './fuzz/inputs';
import { nest } from './fuzz/values';

/** Inputs per procedure; FUZZ_RUNS overrides it for a longer local hunt. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
/** Fixed: the same inputs on every run. FUZZ_SEED picks other ones. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
/** A call answering later than this is a hang. */
const CALL_TIMEOUT_MS = 10_000;

/** Each procedure its own fixed seed, so similar procedures do not get the very same inputs. */
function seedFor(path: string): number {
  let h = SEED;
  for (const c of path) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return h;
}

interface Procedure {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  inputs: z.ZodType[];
}

const PROCEDURES: Procedure[] = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: Procedure['type']; inputs: z.ZodType[] } }
  >,
).map(([path, p]) => ({ path, type: p._def.type, inputs: p._def.inputs }));

type ActorKind = 'user' | 'token' | 'anonymous';

interface Side {
  team: TeamFixture;
  owner: Actor & { type: 'user' };
  /** Every id of this team's objects (lower-case). */
  ids: string[];
  /** The same ids by the name of the input field that takes them. */
  named: Record<string, string>;
}

let w: World;
let home: Side;
let foreign: Side;
let homeToken: Actor;
let handler: (req: Request) => Promise<Response>;
const internalErrors: unknown[] = [];

async function side(): Promise<Side> {
  const team = await teamFixture(w);
  const owner = (await userActor(w, team.id, 'owner')) as Actor & { type: 'user' };
  const viewer = (await userActor(w, team.id, 'viewer')) as Actor & { type: 'user' };
  const { invitation } = await createInvitation(w.pool, {
    teamId: team.id,
    email: `invited-${team.slug}@example.test`,
    role: 'viewer',
    invitedById: null,
  });
  const { info: token } = await createApiToken(w.pool, {
    teamId: team.id,
    name: 'existing',
    role: 'viewer' as TeamRole,
    createdById: null,
  });
  const ids = [
    team.id,
    team.workflowId,
    ...team.versionIds,
    team.failedRunId,
    team.scheduleId,
    team.backfillId,
    team.triggerId,
    owner.userId,
    viewer.userId,
    invitation.id,
    token.id,
  ];
  const named = {
    teamId: team.id,
    workflowId: team.workflowId,
    versionId: team.versionIds[0],
    runId: team.failedRunId,
    scheduleId: team.scheduleId,
    backfillId: team.backfillId,
    triggerId: team.triggerId,
    userId: viewer.userId,
    invitationId: invitation.id,
    tokenId: token.id,
  };
  return { team, owner, ids: ids.map((id) => id.toLowerCase()), named };
}

beforeAll(async () => {
  w = await openWorld('api_fuzz');
  home = await side();
  foreign = await side();
  homeToken = await tokenActor(w, home.team.id, 'owner');
  // Workers are cluster-wide: one, serving the default pool.
  home.named.workerId = await newWorker(w);
  home.ids.push(home.named.workerId.toLowerCase());
  handler = createFetchHandler({
    createContext: async (req) => {
      const kind = req.headers.get('x-fuzz-actor') as ActorKind;
      return contextFor(w, kind === 'user' ? home.owner : kind === 'token' ? homeToken : null);
    },
    onInternalError: (error, path) => internalErrors.push({ path, error }),
  });
});

afterAll(async () => {
  await w?.close();
});

// ── What the generated inputs are made of ─────────────────────────────────────────────────────

const UNKNOWN_IDS = [
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
  '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
];

function pools(): Pools {
  const ids = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...home.ids) },
    { weight: 3, arbitrary: fc.constantFrom(...foreign.ids) },
    { weight: 1, arbitrary: fc.constantFrom(...UNKNOWN_IDS) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...home.ids)
        .chain((id) =>
          fc.constantFrom(id.toUpperCase(), `{${id}}`, id.replace(/-/g, ''), ` ${id}`, id.slice(1)),
        ),
    },
  );
  const workflows = fc.constantFrom(
    home.team.workflowName,
    foreign.team.workflowName,
    home.team.workflowId,
    foreign.team.workflowId,
    'no-such-workflow',
  );
  const texts = fc.constantFrom(
    workflowYaml('fuzzed'),
    workflowYaml(foreign.team.workflowName),
    '{"name":"j","tasks":{"a":{"kind":"noop"}}}',
    'name: x\ntasks: {}\n',
    'tasks:\n  a: { kind: shell, command: "echo {{ secrets.NOPE }}" }\n',
    ': : :\n\t- [',
    `name: deep\ntasks:\n  a:\n    kind: noop\n    env: ${JSON.stringify(nest(70, 1, 'object'))}\n`,
  );
  const strings = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        'a',
        'DB_PASSWORD',
        home.team.secretName,
        'order.created',
        '0 5 * * *',
        '*/5 * * * *',
        'UTC',
        'Europe/Berlin',
        'failed',
        'editor',
        'error',
        home.team.workflowName,
        foreign.team.workflowName,
        home.team.slug,
        foreign.team.slug,
        // Cursors and counters as digits, past int4 and int8.
        '0',
        '2147483648',
        '9223372036854775808',
        '99999999999999999999',
      ),
    },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  // An id field (workflowId, runId…) mostly gets an object of its kind, of either team.
  const idOf = (key: string) =>
    fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(
          ...[home, foreign].map((s) => s.named[key]).filter((id): id is string => Boolean(id)),
        ),
      },
      { weight: 1, arbitrary: ids },
    );
  const idFields: Record<string, fc.Arbitrary<string>> = Object.fromEntries(
    Object.keys({ ...home.named, ...foreign.named })
      .filter((key) => key !== 'teamId')
      .map((key) => [key, idOf(key)]),
  );
  for (const key of ['fromVersionId', 'toVersionId']) idFields[key] = idOf('versionId');
  const teamIds = fc.constantFrom(home.team.id, home.team.id, foreign.team.id, UNKNOWN_IDS[2]!);
  return {
    ids,
    strings,
    byKey: {
      teamId: fc.oneof(
        { weight: 3, arbitrary: teamIds },
        { weight: 1, arbitrary: fc.constant(undefined) },
      ),
      teamSlug: fc.option(fc.constantFrom(home.team.slug, foreign.team.slug, 'no-such-team'), {
        nil: undefined,
        freq: 5,
      }),
      workflow: workflows,
      text: texts,
      ...idFields,
      runIds: fc.array(idFields.runId!, { minLength: 1, maxLength: 3 }),
      cron: fc.constantFrom('0 5 * * *', '*/5 * * * *', '@daily', '0 0 31 2 *', '61 * * * *'),
      timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Mars/Olympus'),
      name: fc.oneof(
        fc.constantFrom('nightly', 'DB_PASSWORD', 'order.created', 'New name'),
        strings,
      ),
    },
    extraHostile: [ids, workflows, teamIds],
  };
}

// ── Whether a call could legitimately act (a mutation must then not be sent as the owner) ────

/** The input as the server reads it from `body` (JSON, then superjson), or `undefined` if it cannot. */
function decode(body: string): { input: unknown } | undefined {
  try {
    return { input: superjson.deserialize(JSON.parse(body) as never) };
  } catch {
    return undefined;
  }
}

/**
 * Whether the server would accept the input that `body` carries: its zod schemas, and the rule
 * for every input (strings Postgres can store, nested at most MAX_INPUT_DEPTH levels). An input
 * breaking either is sent as the owner: it must be refused before it reaches the database.
 */
function parses(proc: Procedure, body: string): boolean {
  const decoded = decode(body);
  return (
    decoded !== undefined &&
    findUnstorable(decoded.input, MAX_INPUT_DEPTH) === null &&
    proc.inputs.every((schema) => schema.safeParse(decoded.input).success)
  );
}

/** A mutation the server would accept that acts on the caller's own team: sent anonymously. */
function actorFor(proc: Procedure, body: string, chosen: ActorKind): ActorKind {
  if (proc.type !== 'mutation' || !parses(proc, body)) return chosen;
  return actsOnOwnTeam(proc, decode(body)!.input, chosen) ? 'anonymous' : chosen;
}

/**
 * Whether the input addresses the caller's own team and objects only: the team it names (its own
 * by default) and every id field of the input. A valid mutation that names another team's object,
 * or one that does not exist, must be refused like malformed input; one that names only its own
 * team's objects might rightly succeed.
 */
function actsOnOwnTeam(proc: Procedure, input: unknown, actor: ActorKind): boolean {
  const fields = (input !== null && typeof input === 'object' ? input : {}) as Record<
    string,
    unknown
  >;
  const isHome = (v: unknown) => typeof v === 'string' && home.ids.includes(v.trim().toLowerCase());
  // Fields the procedure does not take (a stray `teamId`) are dropped by its schema.
  const takesTeam = proc.inputs.some((s) => 'teamId' in shapeOf(s));
  if (takesTeam) {
    if (fields.teamId !== undefined && !isHome(fields.teamId)) return false;
    if (typeof fields.teamSlug === 'string' && fields.teamSlug !== home.team.slug) return false;
    // A person must name a team; no team named is refused.
    if (fields.teamId === undefined && fields.teamSlug === undefined && actor !== 'token') {
      return false;
    }
  }
  for (const schema of proc.inputs) {
    for (const [key, field] of Object.entries(shapeOf(schema))) {
      const v = fields[key];
      if (key === 'teamId' || v === undefined) continue;
      if (key === 'workflow') {
        const ref = String(v).trim();
        if (ref !== home.team.workflowName && !isHome(ref)) return false;
      } else if (isIdSchema(field)) {
        const list = Array.isArray(v) ? v : [v];
        if (list.length > 0 && !list.some(isHome)) return false;
      }
    }
  }
  return true;
}

function actsOnOwnTeamBody(proc: Procedure, body: string, actor: ActorKind): boolean {
  const decoded = decode(body);
  return decoded === undefined || actsOnOwnTeam(proc, decoded.input, actor);
}

// ── Calling the handler and judging the answer ────────────────────────────────────────────────

const BASE = 'http://localhost/api/trpc';

function encode(input: unknown): string {
  try {
    return JSON.stringify(superjson.serialize(input));
  } catch {
    // superjson refuses some shapes (a `__proto__` key): send them as plain JSON.
    return JSON.stringify({ json: input }, (_k, v: unknown) =>
      typeof v === 'bigint' ? v.toString() : v,
    );
  }
}

function requestFor(proc: Procedure, body: string, actor: ActorKind, get: boolean): Request {
  const headers: Record<string, string> = { 'x-fuzz-actor': actor };
  // GET: the input in the URL; else a POST (queries too: tRPC's method override).
  if (get && proc.type === 'query' && body.length < 64 * 1024) {
    return new Request(`${BASE}/${proc.path}?input=${encodeURIComponent(body)}`, { headers });
  }
  headers['content-type'] = 'application/json';
  return new Request(`${BASE}/${proc.path}`, { method: 'POST', headers, body });
}

interface Answer {
  status: number;
  body: unknown;
}

async function send(req: Request): Promise<Answer> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CALL_TIMEOUT_MS} ms`)),
      CALL_TIMEOUT_MS,
    );
  });
  try {
    const res = await Promise.race([handler(req), hang]);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Judged below: an error answer must be JSON.
    }
    return { status: res.status, body };
  } finally {
    clearTimeout(timer);
  }
}

const ISSUE_KEYS = new Set(['path', 'message', 'line', 'column']);

/**
 * The documented error shape: `{ error: { json: { message, code, data: { code, httpStatus,
 * path?, issues: [{ path, message, line?, column? }] } } } }`, a 4xx, no internal details.
 */
export function errorShapeProblem(answer: Answer): string | null {
  const { status, body } = answer;
  if (status < 400 || status > 499) return `status ${status}`;
  const error = (body as { error?: { json?: unknown } } | null)?.error;
  const json = error?.json as
    { message?: unknown; code?: unknown; data?: Record<string, unknown> } | undefined;
  if (!json || typeof json !== 'object') return 'no error.json';
  if (Object.keys(json).sort().join() !== 'code,data,message') return 'error.json keys';
  if (typeof json.message !== 'string' || json.message === '') return 'no message';
  if (/internal error|\n\s+at |node_modules/.test(json.message)) return 'internal message';
  const data = json.data!;
  if (!data || typeof data !== 'object') return 'no data';
  const extra = Object.keys(data).filter(
    (k) => !['code', 'httpStatus', 'path', 'issues'].includes(k),
  );
  if (extra.length) return `data has ${extra.join()}`;
  const code = data.code as keyof typeof TRPC_ERROR_CODES_BY_KEY;
  if (TRPC_ERROR_CODES_BY_KEY[code] !== json.code) return `code ${String(json.code)} vs ${code}`;
  if (data.httpStatus !== status) return `httpStatus ${String(data.httpStatus)} vs ${status}`;
  if (data.path !== undefined && typeof data.path !== 'string') return 'data.path';
  if (!Array.isArray(data.issues)) return 'no issues array';
  for (const issue of data.issues as Record<string, unknown>[]) {
    if (Object.keys(issue).some((k) => !ISSUE_KEYS.has(k))) return 'issue keys';
    if (typeof issue.path !== 'string') return 'issue without a path';
    if (typeof issue.message !== 'string' || issue.message === '') return 'issue without message';
  }
  if (json.message.startsWith('invalid input') && data.issues.length === 0) {
    return 'invalid input without issues';
  }
  return null;
}

function describeCall(proc: Procedure, input: unknown, actor: ActorKind, answer: Answer): string {
  const shown = encode(input);
  return `${proc.path} as ${actor} with ${shown.length > 300 ? `${shown.slice(0, 300)}…` : shown}\n→ ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`;
}

// ── The properties ────────────────────────────────────────────────────────────────────────────

describe('every procedure of the router, with generated malformed inputs', () => {
  it('enumerates the whole router', () => {
    expect(PROCEDURES.length).toBeGreaterThan(60);
    expect(PROCEDURES.filter((p) => p.type === 'subscription')).toEqual([]);
  });

  for (const proc of PROCEDURES) {
    it(`${proc.path} (${proc.type})`, async () => {
      const before = await snapshotTables(w.pool);
      // Answers by actor and code (FUZZ_STATS=1 prints them: what the inputs reached).
      const stats = { ok: 0, refused: 0, by: {} as Record<string, number> };
      const actorArb = fc.constantFrom<ActorKind>('user', 'user', 'user', 'token', 'anonymous');
      await fc.assert(
        fc.asyncProperty(
          procedureInputs(proc.inputs, pools()),
          actorArb,
          fc.boolean(),
          async (input, chosen, get) => {
            // A valid mutation on the caller's own team might rightly write: send it anonymously.
            const body = encode(input);
            const actor = actorFor(proc, body, chosen);
            const answer = await send(requestFor(proc, body, actor, get));
            const code = (answer.body as { error?: { json?: { data?: { code?: string } } } })?.error
              ?.json?.data?.code;
            const key = `${actor}:${code ?? answer.status}`;
            stats.by[key] = (stats.by[key] ?? 0) + 1;
            // A query may answer a valid input; a mutation only one naming nothing of the
            // caller's team (a bulk action skips other teams' runs one by one): it writes nothing.
            const readOnly = proc.type === 'query' || !actsOnOwnTeamBody(proc, body, actor);
            if (answer.status === 200 && readOnly) {
              stats.ok++;
              return;
            }
            stats.refused++;
            const problem = errorShapeProblem(answer);
            if (problem) throw new Error(`${problem}: ${describeCall(proc, input, actor, answer)}`);
          },
        ),
        { seed: seedFor(proc.path), numRuns: RUNS, endOnFailure: true },
      );
      if (process.env.FUZZ_STATS) console.log(proc.path, JSON.stringify(stats.by));
      expect(internalErrors).toEqual([]);
      expect(stats.ok + stats.refused).toBe(RUNS);
      expect(await snapshotTables(w.pool)).toEqual(before);
    });
  }
});

describe('bodies that are not a procedure input at all', () => {
  const raw = fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.constantFrom(
      '',
      '{',
      '{"json":',
      'null',
      '[]',
      '"x"',
      '{"json":1,"meta":{"values":["bigint"]}}',
      '{"json":{"a":"1"},"meta":{"values":{"a":["custom","Nope"]}}}',
      '{"json":{"a":"x"},"meta":{"values":{"a":["class","Object"]}}}',
      '{"json":{"__proto__":{"x":1}},"meta":{"values":{"__proto__.x":["bigint"]}}}',
      '{"json":{"a":1},"meta":{"referentialEqualities":{"a":["b.c.d"]}}}',
      '{"0":{"json":{}},"1":{"json":{}}}',
      '\u0000',
      '\ufeff{"json":{}}',
      `{"json":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      `{"json":${'{"a":'.repeat(80)}1${'}'.repeat(80)}}`,
      `{"json":"${'x'.repeat(MAX_BODY_BYTES)}"}`,
    ),
  );
  const contentType = fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    '',
  );

  it('get a 4xx in the error shape, whatever the procedure, batch or content type', async () => {
    const before = await snapshotTables(w.pool);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PROCEDURES),
        raw,
        contentType,
        fc.constantFrom('', '?batch=1', '?batch=1&input=%7B', '?input=%ZZ'),
        fc.constantFrom<ActorKind>('user', 'token', 'anonymous'),
        async (proc, body, type, query, chosen) => {
          const actor = actorFor(proc, body, chosen);
          const headers: Record<string, string> = { 'x-fuzz-actor': actor };
          if (type) headers['content-type'] = type;
          const answer = await send(
            new Request(`${BASE}/${proc.path}${query}`, { method: 'POST', headers, body }),
          );
          // A query may take the body as its (valid) input.
          if (answer.status === 200 && proc.type === 'query') return;
          // A batch answers with one error per call; each must have the shape.
          const answers = Array.isArray(answer.body)
            ? answer.body.map((b: unknown) => ({ status: answer.status, body: b }))
            : [answer];
          for (const a of answers) {
            const problem = errorShapeProblem(a);
            if (problem) {
              throw new Error(
                `${problem}: POST ${proc.path}${query} (${type}) ${body.slice(0, 200)}\n→ ${a.status} ${JSON.stringify(a.body).slice(0, 500)}`,
              );
            }
          }
        },
      ),
      { seed: SEED, numRuns: 300, endOnFailure: true },
    );
    expect(internalErrors).toEqual([]);
    expect(await snapshotTables(w.pool)).toEqual(before);
  });
});
