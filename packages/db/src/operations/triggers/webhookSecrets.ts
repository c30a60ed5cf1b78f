// Webhook signing secrets: generated here, shown once, stored sealed like team secrets
// (AES-256-GCM, crypto/secretBox.ts) and bound to their trigger so a copied ciphertext fails.
import { randomBytes } from 'node:crypto';
import { openSecret, parseSecretsKey, sealSecret, type SecretsKey } from '../../crypto/secretBox';

export type WebhookKeyInput = string | SecretsKey;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const binding = (teamId: string, triggerId: string) => ({ teamId, name: `webhook:${triggerId}` });

export function sealWebhookSecret(
  keyInput: WebhookKeyInput,
  teamId: string,
  triggerId: string,
  secret: string,
): { ciphertext: Buffer; keyId: string } {
  const key = toKey(keyInput);
  return { ciphertext: sealSecret(key, secret, binding(teamId, triggerId)), keyId: key.keyId };
}

export function openWebhookSecret(
  keyInput: WebhookKeyInput,
  teamId: string,
  triggerId: string,
  ciphertext: Uint8Array,
  keyId: string | null,
): string {
  return openSecret(toKey(keyInput), ciphertext, binding(teamId, triggerId), keyId ?? undefined);
}

function toKey(input: WebhookKeyInput): SecretsKey {
  return typeof input === 'string' ? parseSecretsKey(input) : input;
}
