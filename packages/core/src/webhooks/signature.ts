// Inbound webhook signatures: HMAC-SHA256 over `${timestamp}.${body}` with the trigger's secret.
//
// Headers a sender sets:
//   x-dtss-timestamp: Unix time in seconds when the request was signed
//   x-dtss-signature: sha256=<hex HMAC-SHA256 of `${timestamp}.${raw body}`>
//   x-dtss-delivery:  optional id of this delivery; a repeat within the tolerance is recorded once
// The timestamp is signed too, so an old request cannot be replayed with a fresh timestamp.
// Web Crypto (not node:crypto) keeps this module usable from the CLI, the browser and the server.

export const WEBHOOK_TIMESTAMP_HEADER = 'x-dtss-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'x-dtss-signature';
export const WEBHOOK_DELIVERY_HEADER = 'x-dtss-delivery';
/** How far a request's timestamp may be from the receiver's clock, either way. */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;
const PREFIX = 'sha256=';

export type WebhookBody = string | Uint8Array;

/** The `x-dtss-signature` value for a body signed at `timestampSeconds`. */
export async function signWebhook(
  secret: string,
  timestampSeconds: number,
  body: WebhookBody,
): Promise<string> {
  return PREFIX + toHex(await hmac(secret, signedBytes(timestampSeconds, body)));
}

/** Headers to send with a signed request (timestamp = now unless given). */
export async function webhookHeaders(
  secret: string,
  body: WebhookBody,
  timestampSeconds = Math.floor(Date.now() / 1000),
): Promise<Record<string, string>> {
  return {
    [WEBHOOK_TIMESTAMP_HEADER]: String(timestampSeconds),
    [WEBHOOK_SIGNATURE_HEADER]: await signWebhook(secret, timestampSeconds, body),
  };
}

export type WebhookVerifyResult =
  | { ok: true; timestampSeconds: number }
  | {
      ok: false;
      reason: 'missing_timestamp' | 'bad_timestamp' | 'expired' | 'missing_signature' | 'mismatch';
      message: string;
    };

export interface VerifyWebhookInput {
  secret: string;
  timestamp: string | null | undefined;
  signature: string | null | undefined;
  body: WebhookBody;
  now?: Date;
  toleranceMs?: number;
}

export async function verifyWebhookSignature(
  input: VerifyWebhookInput,
): Promise<WebhookVerifyResult> {
  const tolerance = input.toleranceMs ?? WEBHOOK_TOLERANCE_MS;
  if (!input.timestamp) {
    return fail('missing_timestamp', `missing ${WEBHOOK_TIMESTAMP_HEADER} header`);
  }
  if (!/^\d{1,12}$/.test(input.timestamp)) {
    return fail('bad_timestamp', `${WEBHOOK_TIMESTAMP_HEADER} must be Unix time in seconds`);
  }
  const seconds = Number(input.timestamp);
  const skew = Math.abs((input.now ?? new Date()).getTime() - seconds * 1000);
  if (skew > tolerance) {
    return fail(
      'expired',
      `${WEBHOOK_TIMESTAMP_HEADER} is ${Math.round(skew / 1000)} s away from the server's clock (tolerance ${tolerance / 1000} s)`,
    );
  }
  const header = input.signature?.trim();
  if (!header) return fail('missing_signature', `missing ${WEBHOOK_SIGNATURE_HEADER} header`);
  const expected = await hmac(input.secret, signedBytes(seconds, input.body));
  const given = header.startsWith(PREFIX) ? fromHex(header.slice(PREFIX.length)) : null;
  if (!given || !constantTimeEqual(given, expected)) {
    return fail('mismatch', `${WEBHOOK_SIGNATURE_HEADER} does not match the body`);
  }
  return { ok: true, timestampSeconds: seconds };
}

function fail(
  reason: Extract<WebhookVerifyResult, { ok: false }>['reason'],
  message: string,
): WebhookVerifyResult {
  return { ok: false, reason, message };
}

function signedBytes(timestampSeconds: number, body: WebhookBody): Uint8Array<ArrayBuffer> {
  const head = new TextEncoder().encode(`${timestampSeconds}.`);
  const tail = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const out = new Uint8Array(head.length + tail.length);
  out.set(head);
  out.set(tail, head.length);
  return out;
}

async function hmac(secret: string, data: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, data));
}

/** Compares every byte whatever the first difference, so timing reveals nothing of the secret. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fromHex(text: string): Uint8Array | null {
  if (!/^(?:[0-9a-f]{2})+$/i.test(text)) return null;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}
