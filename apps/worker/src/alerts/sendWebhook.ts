// A generic webhook: the payload as JSON, signed like DTSS's inbound webhooks (HMAC-SHA256 of
// `${timestamp}.${body}` in x-dtss-signature, the timestamp in x-dtss-timestamp; see
// @dtss/core's webhooks/signature.ts), and the delivery's id in x-dtss-delivery so a receiver can
// drop a repeat (a delivery is sent at least once).
import { WEBHOOK_DELIVERY_HEADER, webhookHeaders } from '@dtss/core';
import type { AlertPayload } from './payload';
import { postJson, type SendResult } from './http';

export async function sendWebhook(
  target: { url: string; signingSecret: string },
  deliveryId: string,
  payload: AlertPayload,
  timeoutMs: number,
): Promise<SendResult> {
  const body = JSON.stringify({ id: deliveryId, ...payload });
  const headers = {
    ...(await webhookHeaders(target.signingSecret, body)),
    [WEBHOOK_DELIVERY_HEADER]: deliveryId,
  };
  return postJson(target.url, body, headers, timeoutMs);
}
