/**
 * The mounted API over real HTTP (the web app's route handlers in a route server, see
 * test/support/route-server.ts): a Bearer token, an anonymous request, and a user who signs in
 * through Auth.js's credentials endpoint and calls the API with the session cookie.
 */
import { createApiToken, createPool, hashPassword, type Pool } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

let db: TestDatabase;
let pool: Pool;
let server: RouteServer;
let teamId: string;
let token: string;

beforeAll(async () => {
  db = await createTestDatabase('trpc_route');
  pool = createPool(db.url, { applicationName: 'trpc-route-test' });
  const team = await pool.query<{ id: string }>(
    `INSERT INTO teams (slug, name) VALUES ('acme', 'Acme') RETURNING id`,
  );
  teamId = team.rows[0]!.id;
  const user = await pool.query<{ id: string }>(
    `INSERT INTO users (email, password_hash) VALUES ('ada@example.test', $1) RETURNING id`,
    [await hashPassword('correct horse battery')],
  );
  await pool.query(`INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, 'admin')`, [
    teamId,
    user.rows[0]!.id,
  ]);
  token = (await createApiToken(pool, { teamId, name: 'ci', role: 'viewer', createdById: null }))
    .token;
  server = await startRouteServer(db.url);
});

afterAll(async () => {
  await server?.stop();
  await pool?.end();
  await db?.drop();
});

const api = (path: string) => `${server.url}/api/trpc/${path}`;

describe('/api/trpc/[trpc] route', () => {
  it('serves a Bearer token', async () => {
    const res = await fetch(api('teams.list'), { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      result: { data: { json: { id: string; role: string }[] } };
    };
    expect(body.result.data.json).toEqual([
      expect.objectContaining({ id: teamId, role: 'viewer' }),
    ]);
  });

  it('refuses anonymous requests with 401 and a token of another format', async () => {
    expect((await fetch(api('auth.me'))).status).toBe(401);
    const bad = await fetch(api('auth.me'), { headers: { authorization: 'Bearer dtss_nope' } });
    expect(bad.status).toBe(401);
    const body = await bad.text();
    expect(body).not.toMatch(/stack|node_modules/);
  });

  it('signs in with email and password and calls the API with the session cookie', async () => {
    const csrf = await fetch(`${server.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const csrfCookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const login = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
      body: new URLSearchParams({
        csrfToken,
        email: 'ada@example.test',
        password: 'correct horse battery',
      }),
    });
    const session = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .find((c) => c.startsWith('authjs.session-token='));
    expect(session, `no session cookie; status ${login.status}`).toBeDefined();

    // `next start` adds x-forwarded-proto to every request; Auth.js's auth() picks the cookie name
    // (__Secure- prefix or not) from it, so the route server's requests need it too.
    const me = await fetch(api('auth.me'), {
      headers: { cookie: session!, 'x-forwarded-proto': 'http' },
    });
    expect(me.status).toBe(200);
    const body = (await me.json()) as {
      result: { data: { json: { type: string; email: string } } };
    };
    expect(body.result.data.json).toMatchObject({ type: 'user', email: 'ada@example.test' });

    // A wrong password gets no session.
    const wrong = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrfCookie },
      body: new URLSearchParams({ csrfToken, email: 'ada@example.test', password: 'wrong' }),
    });
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('authjs.session-token='))).toBe(
      false,
    );
  });
});
