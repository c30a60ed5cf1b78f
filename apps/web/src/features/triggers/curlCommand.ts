// A copy-ready shell command that sends one signed delivery to a webhook, signed exactly as the
// route verifies it (@dtss/core's webhooks/signature.ts): `x-dtss-timestamp` is Unix seconds and
// `x-dtss-signature` is "sha256=" + hex HMAC-SHA256 of "<timestamp>.<raw body>" with the secret.
// The body is sent byte for byte as it was signed (--data-raw of the same shell variable).
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@dtss/core';

/** Single-quoted for POSIX shells: nothing inside is expanded. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** The absolute URL of a webhook path ("/api/hooks/<id>") on this deployment's origin. */
export function webhookUrl(origin: string, path: string): string {
  return new URL(path, origin).toString();
}

export const SAMPLE_WEBHOOK_BODY = '{"hello":"world"}';

export function webhookCurl({
  url,
  secret,
  body = SAMPLE_WEBHOOK_BODY,
}: {
  url: string;
  secret: string;
  body?: string;
}): string {
  return [
    `secret=${shellQuote(secret)}`,
    `url=${shellQuote(url)}`,
    `body=${shellQuote(body)}`,
    'ts=$(date +%s)',
    `sig=$(printf '%s.%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$secret" -hex | sed 's/^.* //')`,
    `curl -sS -X POST "$url" -H 'content-type: application/json' \\`,
    `  -H "${WEBHOOK_TIMESTAMP_HEADER}: $ts" -H "${WEBHOOK_SIGNATURE_HEADER}: sha256=$sig" \\`,
    '  --data-raw "$body"',
  ].join('\n');
}
