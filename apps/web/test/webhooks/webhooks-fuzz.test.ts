/**
 * Bad input at scale for inbound webhooks, over real HTTP through the route handler Next.js serves
 * (src/app/api/hooks/[id]/route.ts): generated bodies (not JSON, nested past every limit, odd
 * unicode, invalid UTF-8, up to the size limit, any content type) and headers (missing, stale,
 * malformed or wrong signatures; another team's secret; odd delivery ids), posted to a real hook,
 * to the other team's, to a disabled one and to unknown ids. Every answer is a 4xx with the error
 * shape `{ "error": "<message>" }`, never a 500, and nothing is stored unless the request was
 * signed with the hook's own secret (then 202, or a 4xx for a body it cannot store).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  signWebhook,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@dtss/core';
import {
  createPool,
  createPrismaClient,
  createWebhookTrigger,
  setTriggerEnabled,
  type Pool,
  type PrismaClient,
} from '@dtss/db';
import { createTestDatabase, snapshotTables, type TestDatabase } from '@dtss/db/testing';
import { createTeam, saveWorkflow } from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

/** Fixed: the same requests on every run (FUZZ_SEED picks others). */
const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const MAX_BODY = 1024 * 1024;
const CALL_TIMEOUT_MS = 10_000;

interface Hook {
  id: string;
  secret: string;
}

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let server: RouteServer;
const secretsKey = randomBytes(32).toString('base64');
let home: Hook;
let foreign: Hook;
let disabled: Hook;

async function hookOf(teamId: string, workflowId: string, name: string): Promise<Hook> {
  const created = await createWebhookTrigger(
    pool,
    {
      teamId,
      workflowId,
      name,
      filter: { action: 'push' },
      params: { ref: '{{ event.payload.ref }}' },
    },
    secretsKey,
  );
  return { id: created.trigger.id, secret: created.secret };
}

beforeAll(async () => {
  db = await createTestDatabase('web_webhooks_fuzz');
  pool = createPool(db.url, { applicationName: 'test' });
  prisma = createPrismaClient(db.url, { pool });
  const workflow = `name: on-push
params:
  ref: { type: string, required: true }
tasks:
  a: { kind: noop }
`;
  const homeTeam = await createTeam(pool, `hooks-${randomBytes(3).toString('hex')}`);
  const foreignTeam = await createTeam(pool, `other-${randomBytes(3).toString('hex')}`);
  const homeWf = await saveWorkflow(prisma, homeTeam, workflow);
  const foreignWf = await saveWorkflow(prisma, foreignTeam, workflow);
  home = await hookOf(homeTeam, homeWf.workflowId, 'github');
  foreign = await hookOf(foreignTeam, foreignWf.workflowId, 'github');
  disabled = await hookOf(homeTeam, homeWf.workflowId, 'off');
  await setTriggerEnabled(pool, { teamId: homeTeam, triggerId: disabled.id, enabled: false });
  server = await startRouteServer(db.url, { DTSS_SECRETS_KEY: secretsKey });
});

afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

// ── Bodies ────────────────────────────────────────────────────────────────────────────────────

const utf8 = (s: string) => new TextEncoder().encode(s);
const nested = (depth: number, open = '[', close = ']') =>
  `${open.repeat(depth)}${close.repeat(depth)}`;

const bodies: fc.Arbitrary<Uint8Array> = fc.oneof(
  // JSON that is valid, with odd values.
  {
    weight: 4,
    arbitrary: fc
      .record({
        action: fc.constantFrom('push', 'issue', '', 'PUSH'),
        ref: fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 30 }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        extra: fc.jsonValue({ maxDepth: 3 }),
      })
      .map((v) => utf8(JSON.stringify(v))),
  },
  // JSON escapes Postgres' jsonb refuses, in values and in keys.
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('\\u0000', '\\ud800', '\\udfff', '\\ud83d\\u0000', 'ok'), fc.boolean())
      .map(([esc, inKey]) =>
        utf8(inKey ? `{"action":"push","k${esc}":1}` : `{"action":"push","ref":"a${esc}b"}`),
      ),
  },
  // Nesting, past every limit.
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(5, 32, 33, 64, 65, 1_000, 100_000), fc.boolean())
      .map(([depth, objects]) =>
        utf8(objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : nested(depth)),
      ),
  },
  // Not JSON at all.
  {
    weight: 3,
    arbitrary: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }).map(utf8),
      fc
        .constantFrom('', ' ', '{', '{"action":', 'null', '[]', '"x"', 'a=1&b=2', '\u0000')
        .map(utf8),
      fc.uint8Array({ maxLength: 80 }),
      fc.constantFrom(
        new Uint8Array([0xff, 0xfe, 0x00]),
        new Uint8Array([0xc0, 0x80]),
        new Uint8Array([0xed, 0xa0, 0x80]),
        new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
      ),
    ),
  },
  // Large: up to the limit exactly.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(64 * 1024, 512 * 1024, MAX_BODY - 20)
      .map((n) => utf8(`{"action":"push","ref":"${'é'.repeat(n / 2)}"}`).slice(0, MAX_BODY)),
  },
);

const contentTypes = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=latin1',
  '\xff\xfe',
  '',
);

// ── Headers ───────────────────────────────────────────────────────────────────────────────────

type Signing =
  | 'good'
  | 'none'
  | 'wrong-secret'
  | 'other-hook-secret'
  | 'other-body'
  | 'stale'
  | 'future'
  | 'bad-timestamp'
  | 'bad-signature'
  | 'signature-only'
  | 'timestamp-only';

const signings = fc.constantFrom<Signing>(
  'good',
  'good',
  'good',
  'none',
  'wrong-secret',
  'other-hook-secret',
  'other-body',
  'stale',
  'future',
  'bad-timestamp',
  'bad-signature',
  'signature-only',
  'timestamp-only',
);

const BAD_TIMESTAMPS = ['', 'abc', '-1', '1e9', '99999999999999', '0x10', '1.5', '\xff'];
const BAD_SIGNATURES = ['sha256=', 'sha256=zz', 'md5=00', `sha256=${'0'.repeat(64)}`, 'sha256'];

type Target = 'home' | 'foreign' | 'disabled' | 'unknown' | 'malformed';
const targets = fc.constantFrom<Target>(
  'home',
  'home',
  'home',
  'foreign',
  'disabled',
  'unknown',
  'malformed',
);
const MALFORMED_IDS = ['abc', 'x'.repeat(300), '...', "1' OR '1'='1", '%00', 'é', ' '];

const deliveries = fc.option(
  fc.oneof(
    fc.constantFrom('d-1', ' ', 'x'.repeat(1_000), 'caf\xe9', '\t-\t', '0'),
    // Printable ASCII: a header value cannot hold control characters (fetch refuses them).
    fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
  ),
  { nil: undefined },
);

interface Case {
  target: Target;
  malformed: string;
  body: Uint8Array;
  contentType: string | undefined;
  signing: Signing;
  badTimestamp: string;
  badSignature: string;
  delivery: string | undefined;
}

const cases: fc.Arbitrary<Case> = fc.record({
  target: targets,
  malformed: fc.constantFrom(...MALFORMED_IDS),
  body: bodies,
  contentType: contentTypes,
  signing: signings,
  badTimestamp: fc.constantFrom(...BAD_TIMESTAMPS),
  badSignature: fc.constantFrom(...BAD_SIGNATURES),
  delivery: deliveries,
});

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

function idOf(c: Case): string {
  if (c.target === 'home') return home.id;
  if (c.target === 'foreign') return foreign.id;
  if (c.target === 'disabled') return disabled.id;
  if (c.target === 'unknown') return UNKNOWN_ID;
  return c.malformed;
}

/** The secret of the hook posted to (the home hook's for an id that is no hook). */
function secretOf(c: Case): string {
  if (c.target === 'foreign') return foreign.secret;
  if (c.target === 'disabled') return disabled.secret;
  return home.secret;
}

async function headersOf(c: Case): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  const secret = secretOf(c);
  const sign = (s: string, ts: number, body: Uint8Array | string = c.body) =>
    signWebhook(s, ts, body);
  const h: Record<string, string> = {};
  switch (c.signing) {
    case 'good':
      h[WEBHOOK_TIMESTAMP_HEADER] = String(now);
      h[WEBHOOK_SIGNATURE_HEADER] = await sign(secret, now);
      break;
    case 'wrong-secret':
      h[WEBHOOK_TIMESTAMP_HEADER] = String(now);
      h[WEBHOOK_SIGNATURE_HEADER] = await sign('whsec_wrong', now);
      break;
    case 'other-hook-secret':
      h[WEBHOOK_TIMESTAMP_HEADER] = String(now);
      h[WEBHOOK_SIGNATURE_HEADER] = await sign(
        secret === foreign.secret ? home.secret : foreign.secret,
        now,
      );
      break;
    case 'other-body':
      h[WEBHOOK_TIMESTAMP_HEADER] = String(now);
      h[WEBHOOK_SIGNATURE_HEADER] = await sign(secret, now, '{"action":"push","ref":"other"}');
      break;
    case 'stale':
    case 'future': {
      const ts = c.signing === 'stale' ? now - 600 : now + 600;
      h[WEBHOOK_TIMESTAMP_HEADER] = String(ts);
      h[WEBHOOK_SIGNATURE_HEADER] = await sign(secret, ts);
      break;
    }
    case 'bad-timestamp':
      h[WEBHOOK_TIMESTAMP_HEADER] = c.badTimestamp;
      h[WEBHOOK_SIGNATURE_HEADER] = await sign(secret, now);
      break;
    case 'bad-signature':
      h[WEBHOOK_TIMESTAMP_HEADER] = String(now);
      h[WEBHOOK_SIGNATURE_HEADER] = c.badSignature;
      break;
    case 'signature-only':
      h[WEBHOOK_SIGNATURE_HEADER] = await sign(secret, now);
      break;
    case 'timestamp-only':
      h[WEBHOOK_TIMESTAMP_HEADER] = String(now);
      break;
    case 'none':
      break;
  }
  if (c.contentType !== undefined) h['content-type'] = c.contentType;
  if (c.delivery !== undefined) h[WEBHOOK_DELIVERY_HEADER] = c.delivery;
  return h;
}

/** Signed with the hook's own secret, now, over this body, to an enabled hook. */
const isValid = (c: Case) =>
  c.signing === 'good' && (c.target === 'home' || c.target === 'foreign');

async function post(c: Case): Promise<{ status: number; body: unknown; type: string | null }> {
  const res = await fetch(`${server.url}/api/hooks/${encodeURIComponent(idOf(c))}`, {
    method: 'POST',
    headers: await headersOf(c),
    // Bytes as generated (TypeScript 6 types fetch bodies as ArrayBuffer-backed views only).
    body: c.body as Uint8Array<ArrayBuffer>,
    signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Judged below: every answer must be JSON.
  }
  return { status: res.status, body, type: res.headers.get('content-type') };
}

function errorShapeProblem(answer: { status: number; body: unknown; type: string | null }) {
  if (answer.status < 400 || answer.status > 499) return `status ${answer.status}`;
  if (!answer.type?.startsWith('application/json')) return `content-type ${answer.type}`;
  const body = answer.body as Record<string, unknown> | null;
  if (!body || typeof body !== 'object' || Object.keys(body).join() !== 'error') return 'shape';
  if (typeof body.error !== 'string' || body.error === '') return 'no message';
  if (/\n\s+at |node_modules|internal error/i.test(body.error)) return 'internal details';
  return null;
}

const show = (c: Case) =>
  JSON.stringify({
    ...c,
    body: new TextDecoder().decode(c.body.slice(0, 200)),
    bodyBytes: c.body.length,
  });

async function counts(): Promise<{ events: number; runs: number }> {
  const { rows } = await pool.query<{ events: number; runs: number }>(
    `SELECT (SELECT count(*)::int FROM events) AS events,
            (SELECT count(*)::int FROM workflow_runs) AS runs`,
  );
  return rows[0]!;
}

describe('POST /api/hooks/:id with generated bodies and headers', () => {
  it('refuses every request not signed by the hook itself: a 4xx with { error }, nothing stored', async () => {
    const before = await snapshotTables(pool);
    await fc.assert(
      fc.asyncProperty(
        cases.filter((c) => !isValid(c)),
        async (c) => {
          const answer = await post(c);
          const problem = errorShapeProblem(answer);
          if (problem) {
            throw new Error(
              `${problem}: ${show(c)}\n→ ${answer.status} ${JSON.stringify(answer.body)}`,
            );
          }
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(await snapshotTables(pool)).toEqual(before);
  });

  it('answers a signed request 202, or a 4xx with { error } and nothing stored', async () => {
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        cases.map((c) => ({
          ...c,
          signing: 'good' as const,
          target: c.target === 'foreign' ? c.target : ('home' as const),
        })),
        async (c) => {
          const before = await counts();
          const answer = await post(c);
          if (answer.status === 202) {
            seen.accepted++;
            const body = answer.body as Record<string, unknown>;
            expect(Object.keys(body).sort()).toEqual(['duplicate', 'eventId', 'refused', 'runs']);
            return;
          }
          seen.refused++;
          // Signed and enabled: only a body it cannot store (400) or too big (413) is refused.
          expect([400, 413], show(c)).toContain(answer.status);
          const problem = errorShapeProblem(answer);
          if (problem) {
            throw new Error(
              `${problem}: ${show(c)}\n→ ${answer.status} ${JSON.stringify(answer.body)}`,
            );
          }
          expect(await counts(), show(c)).toEqual(before);
        },
      ),
      { seed: SEED, numRuns: Math.ceil(RUNS / 2), endOnFailure: true },
    );
    // Both sides were reached: deliveries stored, and signed bodies refused (unstorable ones).
    expect(seen.accepted).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
    expect(server.output()).not.toMatch(/TypeError|RangeError|ReferenceError|Unhandled/);
  });
});
