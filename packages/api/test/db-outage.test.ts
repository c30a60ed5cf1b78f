/**
 * While the database cannot be reached, the API answers 503 with a message that says so (never a
 * 500 "internal error"); errors of a reachable database stay what they are.
 */
import net from 'node:net';
import {
  createApiToken,
  createPool,
  createPrismaClient,
  isDatabaseUnavailable,
  type Pool,
} from '@dtss/db';
import { DATABASE_UNAVAILABLE_DIGEST } from '@dtss/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actorFromBearer } from '../src/actor';
import { createFetchHandler } from '../src/http';
import { createCaller } from '../src/root';
import { contextFor, newTeam, openWorld, userActor, type World } from './fixtures';

let w: World;
let deadPool: Pool;
let deadPrisma: ReturnType<typeof createPrismaClient>;
const internalErrors: unknown[] = [];

/** A port nothing listens on: taken, then freed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  w = await openWorld('db_outage');
  const url = `postgresql://postgres:dtss@127.0.0.1:${await closedPort()}/dtss`;
  deadPool = createPool(url, { applicationName: 'outage-test', max: 2 });
  deadPrisma = createPrismaClient(url, { pool: deadPool });
});
afterAll(async () => {
  await deadPool?.end().catch(() => {});
  await w?.close();
});

const url = (path: string, input?: unknown) =>
  `http://localhost/api/trpc/${path}` +
  (input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`);

describe('the API while the database is down', () => {
  it('answers 503 when the caller cannot even be identified (the token lookup fails)', async () => {
    const handler = createFetchHandler({
      createContext: async (req) =>
        contextFor(w, await actorFromBearer(deadPool, req.headers.get('authorization'))),
      onInternalError: (e) => internalErrors.push(e),
    });
    const team = await newTeam(w);
    const { token } = await createApiToken(w.pool, {
      teamId: team.id,
      name: 'cli',
      role: 'viewer',
      createdById: null,
    });
    const res = await handler(
      new Request(url('teams.list'), { headers: { authorization: `Bearer ${token}` } }),
    );
    const body = (await res.json()) as {
      error: { json: { message: string; data: { code: string } } };
    };
    expect(res.status).toBe(503);
    expect(body.error.json.data.code).toBe('SERVICE_UNAVAILABLE');
    expect(body.error.json.message).toMatch(/database is unavailable/);
  });

  it('answers 503 when a procedure cannot reach it, and logs no internal error', async () => {
    const team = await newTeam(w);
    const actor = await userActor(w, team.id, 'viewer');
    const handler = createFetchHandler({
      // Identified while the database was up; it went down before the procedure ran.
      createContext: async () => ({ ...contextFor(w, actor), pool: deadPool, prisma: deadPrisma }),
      onInternalError: (e) => internalErrors.push(e),
    });
    const res = await handler(new Request(url('workflows.list', { teamSlug: team.slug })));
    expect(res.status).toBe(503);
    expect(internalErrors).toEqual([]);
  });

  it('marks the error a server-rendered page gets, so the page can say what happened', async () => {
    const team = await newTeam(w);
    const actor = await userActor(w, team.id, 'viewer');
    const caller = createCaller({ ...contextFor(w, actor), pool: deadPool, prisma: deadPrisma });
    const error = await caller.workflows.list({ teamSlug: team.slug }).then(
      () => null,
      (e: unknown) => e as { code?: string; digest?: string },
    );
    expect(error?.code).toBe('SERVICE_UNAVAILABLE');
    expect(error?.digest).toBe(DATABASE_UNAVAILABLE_DIGEST);
  });

  it('tells a refused connection from a bad statement', async () => {
    const refused = await deadPool.query('SELECT 1').catch((e: unknown) => e);
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const bad = await w.pool.query('SELECT FROM nowhere_at_all').catch((e: unknown) => e);
    expect(isDatabaseUnavailable(bad)).toBe(false);
    const prismaRefused = await deadPrisma.user.count().catch((e: unknown) => e);
    expect(isDatabaseUnavailable(prismaRefused)).toBe(true);
  });
});
