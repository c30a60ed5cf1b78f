/**
 * An inbound webhook delivery: POST /api/hooks/<trigger id>, signed with the trigger's secret
 * (packages/core/src/webhooks/signature.ts has the scheme). A delivery that is too big, unsigned,
 * wrongly signed or outside the timestamp tolerance is refused before anything is stored; a good
 * one is recorded as an event (source webhook) and starts the runs its triggers ask for.
 *
 * Replays: a repeat of a delivery within the tolerance records nothing new. Its key is the
 * `x-dtss-delivery` header when the sender sets one, otherwise the signature itself (same
 * timestamp and body).
 */
import {
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from '@dtss/core';
import { EventError, loadWebhookTarget, publishEvent, type Pool } from '@dtss/db';
import { MAX_WEBHOOK_BODY_BYTES, readBodyWithin } from './readBody';

export interface WebhookDeps {
  pool: Pool;
  /** DTSS_SECRETS_KEY: opens the trigger's stored signing secret. */
  secretsKey: string | undefined;
  now?: () => Date;
}

const json = (status: number, body: unknown) =>
  Response.json(body, { status, headers: { 'Cache-Control': 'no-store' } });

export async function handleWebhook(
  request: Request,
  triggerId: string,
  deps: WebhookDeps,
): Promise<Response> {
  const body = await readBodyWithin(request, MAX_WEBHOOK_BODY_BYTES);
  if (!body.ok) {
    return json(413, { error: `the body is larger than ${MAX_WEBHOOK_BODY_BYTES} bytes` });
  }
  if (!deps.secretsKey) {
    return json(500, { error: 'the server has no DTSS_SECRETS_KEY to check webhook signatures' });
  }
  const target = await loadWebhookTarget(deps.pool, triggerId, deps.secretsKey);
  if (!target) return json(404, { error: 'no such webhook' });

  const signature = request.headers.get(WEBHOOK_SIGNATURE_HEADER);
  const verified = await verifyWebhookSignature({
    secret: target.secret,
    timestamp: request.headers.get(WEBHOOK_TIMESTAMP_HEADER),
    signature,
    body: body.bytes,
    now: deps.now?.(),
  });
  if (!verified.ok) return json(401, { error: verified.message });
  if (!target.enabled) return json(409, { error: 'this webhook is disabled' });

  const text = new TextDecoder().decode(body.bytes);
  let payload: unknown;
  try {
    payload = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    // Not JSON (a form post, plain text): kept as it came.
    payload = { body: text, contentType: request.headers.get('content-type') };
  }
  const delivery = request.headers.get(WEBHOOK_DELIVERY_HEADER)?.trim().slice(0, 150);
  let result;
  try {
    result = await publishEvent(deps.pool, {
      teamId: target.teamId,
      name: target.eventName,
      payload,
      source: 'webhook',
      triggerId: target.id,
      idempotencyKey: `webhook:${target.id}:${delivery ? `delivery:${delivery}` : signature!.trim().slice(0, 80)}`,
    });
  } catch (error) {
    // A payload that cannot be stored (a NUL, nested too deep; too big once wrapped as text).
    if (!(error instanceof EventError)) throw error;
    return json(error.code === 'payload_too_large' ? 413 : 400, { error: error.message });
  }
  return json(202, {
    eventId: result.event.id,
    duplicate: !result.created,
    runs: result.runs.map((r) => ({ id: r.runId, workflowId: r.workflowId })),
    refused: result.refused,
  });
}
