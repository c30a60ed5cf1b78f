import { readHealth } from '@/server/health';

export const dynamic = 'force-dynamic';

/** Liveness and readiness for load balancers and `npm start`: 200 when the database answers. */
export async function GET(): Promise<Response> {
  const health = await readHealth();
  return Response.json(health, {
    status: health.status === 'ok' ? 200 : 503,
    headers: { 'Cache-Control': 'no-store' },
  });
}
