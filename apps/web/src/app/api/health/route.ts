import { isOperator } from '@dtss/api';
import { createApiContext } from '@/server/auth/context';
import { readHealth } from '@/server/health';

export const dynamic = 'force-dynamic';

/**
 * Liveness and readiness for load balancers and `npm start`: 200 when the database answers.
 * Anyone sees the verdict; the details (schema, database) go to signed-in users and API tokens
 * only, and the list of workers (names, hosts, pools) to deployment operators only: a member sees
 * the workers of the team's pools on the workers page (`workers.list`).
 */
export async function GET(req: Request): Promise<Response> {
  const health = await readHealth();
  const ctx = await createApiContext(req).catch(() => null);
  const actor = ctx?.actor ?? null;
  const operator = ctx && actor ? await isOperator({ ...ctx, actor }).catch(() => false) : false;
  const { workers: _workers, ...details } = health;
  const body = operator
    ? health
    : actor
      ? details
      : {
          status: health.status,
          time: health.time,
          database: { ok: health.database.ok },
        };
  return Response.json(body, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
