/**
 * The API through HTTP, exactly as apps/web mounts it (createFetchHandler behind
 * /api/trpc/[trpc]): a Bearer token, an anonymous request, input errors, body limit.
 */
import { createApiToken, revokeApiToken } from '@dtss/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromBearer } from '../src/actor';
import { createFetchHandler } from '../src/http';
import { contextFor, newTeam, openWorld, userActor, type World } from './fixtures';

let w: World;
let handler: (req: Request) => Promise<Response>;
let teamId: string;
let token: string;
const internalErrors: unknown[] = [];

beforeAll(async () => {
  w = await openWorld('http');
  teamId = (await newTeam(w)).id;
  token = (await createApiToken(w.pool, { teamId, name: 'cli', role: 'editor', createdById: null }))
    .token;
  handler = createFetchHandler({
    // What the web app does for requests with an Authorization header.
    createContext: async (req) =>
      contextFor(w, await actorFromBearer(w.pool, req.headers.get('authorization'))),
    maxBodyBytes: 64 * 1024,
    onInternalError: (e) => internalErrors.push(e),
  });
});

afterAll(async () => {
  await w?.close();
});

const url = (path: string, input?: unknown) =>
  `http://localhost/api/trpc/${path}` +
  (input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);

async function call(req: Request) {
  const res = await handler(req);
  // JSON from the wire, checked field by field below.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

describe('/api/trpc over HTTP', () => {
  it('answers a Bearer token as that token', async () => {
    const { status, body } = await call(
      new Request(url('auth.me'), { headers: { authorization: `Bearer ${token}` } }),
    );
    expect(status).toBe(200);
    expect(body.result.data.json).toMatchObject({ type: 'token', teamId, role: 'editor' });
  });

  it('refuses an anonymous request with 401 and no stack', async () => {
    const { status, body } = await call(new Request(url('teams.list')));
    expect(status).toBe(401);
    expect(body.error.json.data.code).toBe('UNAUTHORIZED');
    expect(JSON.stringify(body)).not.toMatch(/stack|at \//);
  });

  it('refuses a revoked token and a malformed one', async () => {
    const { token: t2, info } = await createApiToken(w.pool, {
      teamId,
      name: 'gone',
      role: 'viewer',
      createdById: null,
    });
    await revokeApiToken(w.pool, teamId, info.id);
    for (const auth of [`Bearer ${t2}`, 'Bearer dtss_short', `Basic ${token}`]) {
      const { status } = await call(
        new Request(url('auth.me'), { headers: { authorization: auth } }),
      );
      expect(status, auth).toBe(401);
    }
  });

  it('returns zod field errors with their paths (400)', async () => {
    const { status, body } = await call(
      new Request(url('workflows.applyDefinition'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ json: { teamId, text: 42 } }),
      }),
    );
    expect(status).toBe(400);
    expect(body.error.json.data.issues).toEqual([
      expect.objectContaining({ path: 'text', message: expect.any(String) }),
    ]);
  });

  it('returns workflow validation problems with paths and lines', async () => {
    const text = 'name: bad\ntasks:\n  a:\n    kind: noop\n    needs: [missing]\n';
    const { status, body } = await call(
      new Request(url('workflows.applyDefinition'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ json: { teamId, text } }),
      }),
    );
    expect(status).toBe(400);
    const issues = body.error.json.data.issues as { path: string; line?: number }[];
    expect(issues[0]?.path).toMatch(/^tasks\.a\.needs/);
    expect(issues[0]?.line).toBe(5);
  });

  it('accepts a large query as POST (method override)', async () => {
    const { status, body } = await call(
      new Request(url('workflows.validate'), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ json: { text: 'name: ok\ntasks:\n  a:\n    kind: noop\n' } }),
      }),
    );
    expect(status).toBe(200);
    expect(body.result.data.json).toMatchObject({ ok: true, name: 'ok', taskCount: 1 });
  });

  it('refuses bodies over the limit with 413 before parsing them', async () => {
    const big = 'x'.repeat(70 * 1024);
    for (const headers of <Record<string, string>[]>[
      { 'content-type': 'application/json' },
      { 'content-type': 'application/json', 'content-length': String(big.length + 20) },
    ]) {
      const { status, body } = await call(
        new Request(url('workflows.validate'), {
          method: 'POST',
          headers: { ...headers, authorization: `Bearer ${token}` },
          body: JSON.stringify({ json: { text: big } }),
        }),
      );
      expect(status).toBe(413);
      expect(body.error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('words refusals made before tRPC runs (413, 415, cross-site 403) like every other error', async () => {
    // Found by api-fuzz.test.ts: they lacked superjson's `json` envelope, so the typed client
    // could not read them ("Unable to transform response from server").
    const post = (headers: Record<string, string>, body: string) =>
      call(
        new Request(url('workflows.validate'), {
          method: 'POST',
          headers: { host: 'dtss.example', ...headers },
          body,
        }),
      );
    const json = { 'content-type': 'application/json' };
    const refusals = [
      [413, 'PAYLOAD_TOO_LARGE', await post(json, 'x'.repeat(70 * 1024))],
      [415, 'UNSUPPORTED_MEDIA_TYPE', await post({ 'content-type': 'text/plain' }, '{}')],
      [403, 'FORBIDDEN', await post({ ...json, 'sec-fetch-site': 'cross-site' }, '{}')],
    ] as const;
    for (const [status, code, { status: got, body }] of refusals) {
      expect(got).toBe(status);
      expect(body.error.json).toEqual({
        message: expect.any(String),
        code: expect.any(Number),
        data: { code, httpStatus: status, issues: [] },
      });
    }
  });

  it('refuses strings Postgres cannot store, BigInts and input nested past the limit (400, with the path)', async () => {
    // Found by api-fuzz.test.ts: each was a 500 from Postgres ("invalid byte sequence for encoding
    // UTF8: 0x00", "unsupported Unicode escape sequence") or a stack overflow serializing it.
    const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const post = (path: string, body: string) =>
      call(new Request(url(path), { method: 'POST', headers: auth, body }));
    const cases: [string, string, string, RegExp][] = [
      [
        'workflows.get',
        JSON.stringify({ json: { teamId, workflow: 'wf\u0000' } }),
        'workflow',
        /NUL character/,
      ],
      [
        'secrets.update',
        JSON.stringify({ json: { teamId, name: 'S', value: 'v', description: 'x\ud800' } }),
        'description',
        /unpaired UTF-16 surrogate/,
      ],
      [
        'events.publish',
        JSON.stringify({ json: { teamId, name: 'e', payload: { 'k\u0000': 1 } } }),
        'payload.k\u0000',
        /NUL character/,
      ],
      [
        // A BigInt (superjson): JSON.stringify threw on it.
        'events.publish',
        JSON.stringify({
          json: { teamId, name: 'e', payload: { n: '1' } },
          meta: { values: { 'payload.n': ['bigint'] } },
        }),
        'payload.n',
        /BigInt/,
      ],
      [
        'events.publish',
        `{"json":{"teamId":"${teamId}","name":"e","payload":${'['.repeat(70)}${']'.repeat(70)}}}`,
        `payload${'[0]'.repeat(63)}`,
        /nested deeper than 64 levels/,
      ],
    ];
    for (const [path, body, issuePath, message] of cases) {
      const { status, body: answer } = await post(path, body);
      expect(status, path).toBe(400);
      expect(answer.error.json.data.issues).toEqual([
        { path: issuePath, message: expect.stringMatching(message) },
      ]);
    }
    expect(internalErrors).toEqual([]);
  });

  it('refuses JSON nested past any input before parsing it (400)', async () => {
    // Found by api-fuzz.test.ts: a body of a million nested arrays took seconds to parse and copy
    // (superjson), for an anonymous caller, before the input check could refuse it.
    const deep = `{"json":{"text":${'['.repeat(30_000)}${']'.repeat(30_000)}}}`;
    const post = await call(
      new Request(url('workflows.validate'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: deep,
      }),
    );
    const get = await call(
      new Request(`${url('workflows.validate')}?input=${encodeURIComponent(deep)}`),
    );
    for (const { status, body } of [post, get]) {
      expect(status).toBe(400);
      expect(body.error.json.message).toBe('the input is nested deeper than 72 levels');
    }
    // Brackets inside strings are text, not nesting.
    const text = `name: x\ntasks: {a: {kind: noop, command: "${'[['.repeat(1_000)}"}}`;
    const ok = await call(
      new Request(url('workflows.validate'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ json: { text } }),
      }),
    );
    expect(ok.status).toBe(200);
  });

  it('answers batches, and refuses batches over the limit', async () => {
    const paths = (n: number) => Array.from({ length: n }, () => 'auth.me').join(',');
    const headers = { authorization: `Bearer ${token}` };
    const ok = await handler(
      new Request(`http://localhost/api/trpc/${paths(3)}?batch=1`, { headers }),
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toHaveLength(3);
    const tooMany = await handler(
      new Request(`http://localhost/api/trpc/${paths(101)}?batch=1`, { headers }),
    );
    expect(tooMany.status).toBe(400);
  });

  it('hides internal errors behind a generic message', async () => {
    const broken = createFetchHandler({
      createContext: async () => ({
        ...contextFor(w, {
          type: 'token',
          tokenId: '00000000-0000-4000-8000-000000000000',
          teamId,
          role: 'owner',
          userId: null,
        }),
        pool: { query: () => Promise.reject(new Error('secret connection string here')) } as never,
      }),
      onInternalError: (e) => internalErrors.push(e),
    });
    const res = await broken(new Request(url('runs.list', { teamId })));
    const body = await res.text();
    expect(res.status).toBe(500);
    expect(body).toContain('internal error');
    expect(body).not.toContain('secret connection string');
    expect(internalErrors.length).toBeGreaterThan(0);
  });

  it('refuses cookie-authenticated POSTs from another site, and non-JSON bodies', async () => {
    // What the web app does without an Authorization header: the session cookie's user.
    const user = await userActor(w, teamId, 'owner');
    const cookieHandler = createFetchHandler({
      createContext: async (req) =>
        contextFor(
          w,
          req.headers.get('authorization')
            ? await actorFromBearer(w.pool, req.headers.get('authorization'))
            : user,
        ),
    });
    const post = (
      headers: Record<string, string>,
      slug = `csrf-${Math.random().toString(36).slice(2, 8)}`,
    ) =>
      cookieHandler(
        new Request(url('teams.create'), {
          method: 'POST',
          headers: { host: 'dtss.example', ...headers },
          body: JSON.stringify({ json: { slug, name: 'x' } }),
        }),
      );
    const teams = async () =>
      (await w.pool.query('SELECT count(*)::int AS n FROM teams')).rows[0].n as number;
    const before = await teams();
    const json = { 'content-type': 'application/json' };
    expect((await post({ ...json, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ ...json, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await post({ ...json, origin: 'https://evil.example' })).status).toBe(403);
    expect((await post({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post({ 'content-type': 'multipart/form-data; boundary=x' })).status).toBe(415);
    expect(await teams()).toBe(before);
    expect((await post({ ...json, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await post({ ...json, origin: 'https://dtss.example' })).status).toBe(200);
    // Tokens are not sent by browsers on their own: any origin may use one.
    const withToken = await handler(
      new Request(url('workflows.validate'), {
        method: 'POST',
        headers: { ...json, authorization: `Bearer ${token}`, 'sec-fetch-site': 'cross-site' },
        body: JSON.stringify({ json: { text: 'name: ok\ntasks:\n  a:\n    kind: noop\n' } }),
      }),
    );
    expect(withToken.status).toBe(200);
  });
});
