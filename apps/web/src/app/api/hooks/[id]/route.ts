import { handleWebhook } from '@/server/webhooks/handleWebhook';
import { getPool } from '@/server/db';

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
  return handleWebhook(request, id, { pool: getPool(), secretsKey: process.env.DTSS_SECRETS_KEY });
}
