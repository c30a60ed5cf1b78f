/**
 * Browser sessions end with their user's session epoch, over real HTTP: people sign in through
 * Auth.js's credentials endpoint (test/support/route-server.ts serves the web app's route
 * handlers), call the API and open SSE streams with their session cookies; "sign out everywhere",
 * a password change or a removal from a team makes every older cookie of that user count as
 * signed out on its next request (tRPC 401 in the documented error shape, streams 401), ends
 * the streams it holds open at their next access check, and leaves other users and API tokens be.
 */
import { openEventStream, type SseMessage } from '@dtss/client';
import {
  createApiToken,
  createPool,
  createPrismaClient,
  type Pool,
  type PrismaClient,
  type RunRef,
} from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam, createUser, saveWorkflow, signIn, startRun } from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

let db: TestDatabase;
let pool: Pool;
let prisma: PrismaClient;
let server: RouteServer;
let teamId: string;
let run: RunRef;

const CHAIN =
  'name: chain\ntasks:\n  a: { kind: shell, command: echo a }\n  b: { kind: shell, needs: [a], command: echo b }\n';

beforeAll(async () => {
  db = await createTestDatabase('web_sessions');
  pool = createPool(db.url, { applicationName: 'sessions-test', max: 4 });
  prisma = createPrismaClient(db.url, { pool });
  teamId = await createTeam(pool, 'acme');
  await saveWorkflow(prisma, teamId, CHAIN);
  run = await startRun(pool, teamId, 'chain');
  // Open streams re-check their access every 300 ms here (a minute by default).
  server = await startRouteServer(db.url, { DTSS_STREAM_RECHECK_MS: '300' });
});

afterAll(async () => {
  await server?.stop();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

let people = 0;
/** A member of the team with a password. */
async function person(role: 'owner' | 'admin' | 'viewer' = 'viewer') {
  const email = `p${++people}@example.test`;
  const password = `password of ${email}`;
  const id = await createUser(pool, email, password, { teamId, role });
  return { id, email, password };
}

/** A tRPC query (GET) or mutation (POST) with a session cookie, as the browser sends it. */
async function call(cookie: string, path: string, input?: unknown, method: 'GET' | 'POST' = 'GET') {
  const json = JSON.stringify({ json: input ?? null });
  const res =
    method === 'GET'
      ? await fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(json)}`, {
          headers: { cookie },
        })
      : await fetch(`${server.url}/api/trpc/${path}`, {
          method: 'POST',
          headers: { cookie, 'content-type': 'application/json' },
          body: json,
        });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const UNAUTHORIZED = (path: string) => ({
  status: 401,
  body: {
    error: {
      json: {
        message: 'sign in or send an API token',
        code: -32001,
        data: { code: 'UNAUTHORIZED', httpStatus: 401, path, issues: [] },
      },
    },
  },
});

const stream = (cookie: string) =>
  fetch(`${server.url}/api/stream/runs/${run.id}`, { headers: { cookie } });

async function streamStatus(cookie: string): Promise<number> {
  const res = await stream(cookie);
  await res.body?.cancel();
  return res.status;
}

/** Reads a run stream with a cookie until the server ends it (or 15 s pass). */
function watch(cookie: string) {
  const events: SseMessage[] = [];
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 15_000);
  const done = (async () => {
    try {
      for await (const m of openEventStream(`${server.url}/api/stream/runs/${run.id}`, {
        signal: abort.signal,
        fetch: (url, init) =>
          fetch(url, { ...init, headers: { ...(init?.headers as object), cookie } }),
      })) {
        events.push(m);
      }
    } catch (err) {
      if (!abort.signal.aborted) throw err;
    } finally {
      clearTimeout(timer);
    }
    return events;
  })();
  return { events, done, stop: () => abort.abort() };
}

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`no ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sign out everywhere', () => {
  it("signs out every browser of the user, not another user's, not the user's API tokens", async () => {
    const ada = await person('admin');
    const bob = await person();
    const laptop = await signIn(server.url, ada.email, ada.password);
    const phone = await signIn(server.url, ada.email, ada.password);
    const bobs = await signIn(server.url, bob.email, bob.password);
    // A token Ada made: it acts with her role, but her sign-outs are not its business.
    const { token } = await createApiToken(pool, {
      teamId,
      name: 'ci',
      role: 'viewer',
      createdById: ada.id,
    });
    expect((await call(phone, 'auth.me')).status).toBe(200);
    expect(await streamStatus(phone)).toBe(200);
    const open = watch(phone);
    await until(() => open.events.some((m) => m.event === 'snapshot'), 'snapshot');

    const out = await call(laptop, 'account.signOutEverywhere', undefined, 'POST');
    expect(out).toMatchObject({ status: 200 });

    // Both of Ada's browsers are signed out from their next request on, API and streams alike.
    expect(await call(phone, 'auth.me')).toEqual(UNAUTHORIZED('auth.me'));
    expect(await call(laptop, 'teams.list')).toEqual(UNAUTHORIZED('teams.list'));
    expect(await streamStatus(phone)).toBe(401);
    // The stream she had open ends at its next access check.
    const events = await open.done;
    expect(events.at(-1)).toMatchObject({ event: 'error' });
    expect(JSON.parse(events.at(-1)!.data)).toEqual({ message: 'access revoked' });

    // Bob's session, and Ada's token, go on.
    expect((await call(bobs, 'auth.me')).status).toBe(200);
    expect(await streamStatus(bobs)).toBe(200);
    const byToken = await fetch(`${server.url}/api/trpc/teams.list`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(byToken.status).toBe(200);

    // Signing in again works.
    const fresh = await signIn(server.url, ada.email, ada.password);
    expect((await call(fresh, 'auth.me')).status).toBe(200);
  });
});

describe('password change', () => {
  it('signs out every browser of the user; the new password signs in, the old one no longer', async () => {
    const cara = await person();
    const other = await person();
    const first = await signIn(server.url, cara.email, cara.password);
    const second = await signIn(server.url, cara.email, cara.password);
    const others = await signIn(server.url, other.email, other.password);

    const changed = await call(
      first,
      'account.changePassword',
      { currentPassword: cara.password, newPassword: 'a brand new password' },
      'POST',
    );
    expect(changed).toMatchObject({ status: 200 });

    expect(await call(second, 'auth.me')).toEqual(UNAUTHORIZED('auth.me'));
    expect(await call(first, 'auth.me')).toEqual(UNAUTHORIZED('auth.me'));
    expect(await streamStatus(second)).toBe(401);
    expect((await call(others, 'auth.me')).status).toBe(200);
    await expect(signIn(server.url, cara.email, cara.password)).rejects.toThrow(/failed/);
    const again = await signIn(server.url, cara.email, 'a brand new password');
    expect((await call(again, 'auth.me')).status).toBe(200);
  });
});

describe('removal from the team', () => {
  it("signs the removed member out, ends their open stream, and leaves the admin's session be", async () => {
    const admin = await person('admin');
    const dan = await person();
    const admins = await signIn(server.url, admin.email, admin.password);
    const dans = await signIn(server.url, dan.email, dan.password);
    const open = watch(dans);
    await until(() => open.events.some((m) => m.event === 'snapshot'), 'snapshot');

    const removed = await call(admins, 'members.remove', { teamId, userId: dan.id }, 'POST');
    expect(removed).toMatchObject({ status: 200 });

    expect(await call(dans, 'auth.me')).toEqual(UNAUTHORIZED('auth.me'));
    expect(await streamStatus(dans)).toBe(401);
    const events = await open.done;
    expect(events.at(-1)).toMatchObject({ event: 'error' });
    expect((await call(admins, 'members.list', { teamId })).status).toBe(200);
    // Signed in again, the team is gone for him: its run is not found.
    const again = await signIn(server.url, dan.email, dan.password);
    expect((await call(again, 'auth.me')).status).toBe(200);
    expect(await streamStatus(again)).toBe(404);
  });
});
