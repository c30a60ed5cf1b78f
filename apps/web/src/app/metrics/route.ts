import { metricsRequestAllowed } from '@dtss/db/metrics';
import { webMetrics } from '@/server/metrics';

export const dynamic = 'force-dynamic';

/**
 * Prometheus scrapes the cluster's state and this web process's metrics here. With
 * DTSS_METRICS_TOKEN set, only `Authorization: Bearer <token>` is answered. Never redirected to
 * sign-in (no session is involved), and it answers while the database is down
 * (`dtss_database_up 0`).
 */
export async function GET(req: Request): Promise<Response> {
  if (!metricsRequestAllowed(req.headers.get('authorization'), process.env.DTSS_METRICS_TOKEN)) {
    return new Response('unauthorized\n', {
      status: 401,
      headers: { 'WWW-Authenticate': 'Bearer', 'Cache-Control': 'no-store' },
    });
  }
  const registry = webMetrics();
  return new Response(await registry.metrics(), {
    headers: { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' },
  });
}
