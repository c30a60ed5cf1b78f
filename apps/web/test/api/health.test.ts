/**
 * GET /api/health over real HTTP: the verdict for anyone, the status details for signed-in users
 * and API tokens, and the list of workers (names, hosts, pools of every team) for deployment
 * operators only: members see their team's pools' workers through `workers.list`.
 */
import { createPool, registerWorker, type Pool } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam, createToken, createUser, signIn } from '../support/fixtures';
import { startRouteServer, type RouteServer } from '../support/start-route-server';

let db: TestDatabase;
let pool: Pool;
let server: RouteServer;
let teamId: string;

beforeAll(async () => {
  db = await createTestDatabase('web_health');
  pool = createPool(db.url, { applicationName: 'health-test', max: 2 });
  teamId = await createTeam(pool, 'acme');
  await registerWorker(pool, {
    id: randomUUID(),
    name: 'gpu-1',
    hostname: 'gpu-host.internal',
    pid: 1,
    version: 't',
    pools: ['team-b-gpu'],
    concurrency: 1,
  });
  server = await startRouteServer(db.url, { DTSS_OPERATORS: 'ops@example.test' });
});

afterAll(async () => {
  await server?.stop();
  await pool?.end();
  await db?.drop();
});

const health = async (headers: Record<string, string> = {}) => {
  const res = await fetch(`${server.url}/api/health`, { headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('/api/health', () => {
  it('tells anyone the verdict, members the details without workers, operators the workers', async () => {
    expect(await health()).toEqual({
      status: 200,
      body: { status: 'ok', time: expect.any(String), database: { ok: true } },
    });

    await createUser(pool, 'member@example.test', 'a member password', { teamId, role: 'owner' });
    const member = await health({
      cookie: await signIn(server.url, 'member@example.test', 'a member password'),
    });
    expect(member.body.database).toMatchObject({ ok: true, migration: expect.anything() });
    expect(member.body).not.toHaveProperty('workers');
    const token = await createToken(pool, teamId, 'owner');
    expect((await health({ authorization: `Bearer ${token}` })).body).not.toHaveProperty('workers');

    await createUser(pool, 'ops@example.test', 'an operator password', { teamId, role: 'viewer' });
    const ops = await health({
      cookie: await signIn(server.url, 'ops@example.test', 'an operator password'),
    });
    expect(ops.body.workers).toEqual([
      expect.objectContaining({ name: 'gpu-1', hostname: 'gpu-host.internal' }),
    ]);
  });
});
