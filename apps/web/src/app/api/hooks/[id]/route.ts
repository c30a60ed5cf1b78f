import { apiTracing, traceCall } from '@dtss/api';
import { handleWebhook } from '@/server/webhooks/handleWebhook';
import { getPool } from '@/server/db';
import { webTracing } from '@/server/tracing';

export const dynamic = 'force-dynamic';

/**
 * Inbound webhook: a signed POST records an event and starts the trigger's runs (see
 * docs/SCHEDULING.md). Other methods get 405 from Next.js.
 */
export async function POST(
  request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await context.params;
  const handle = () =>
    handleWebhook(request, id, { pool: getPool(), secretsKey: process.env.DTSS_SECRETS_KEY });
  if (!apiTracing) return handle();
  // A span linked to the runs the webhook starts.
  webTracing();
  return traceCall('webhook', { 'dtss.webhook.id': id }, handle, (r) =>
    r.status >= 500 ? `HTTP ${r.status}` : null,
  );
}
