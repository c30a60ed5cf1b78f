import { actorFromRequest } from '@/server/auth/actor';
import { readHealth } from '@/server/health';

export const dynamic = 'force-dynamic';

/**
 * Liveness and readiness for load balancers and `npm start`: 200 when the database answers.
 * Anyone sees the verdict; the details (workers, hosts, schema) go to signed-in users and API
 * tokens only.
 */
export async function GET(req: Request): Promise<Response> {
  const health = await readHealth();
  const signedIn = (await actorFromRequest(req).catch(() => null)) !== null;
  const body = signedIn
    ? health
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
