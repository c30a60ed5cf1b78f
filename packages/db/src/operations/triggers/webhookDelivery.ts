// What the webhook route needs to check a delivery: the trigger and its decrypted secret.
import type { Pool } from '../../pool';
import { openWebhookSecret, type WebhookKeyInput } from './webhookSecrets';

export interface WebhookTarget {
  id: string;
  teamId: string;
  name: string;
  eventName: string;
  enabled: boolean;
  secret: string;
}

/** Null when there is no webhook trigger with this id (any malformed id included). */
export async function loadWebhookTarget(
  pool: Pool,
  triggerId: string,
  key: WebhookKeyInput,
): Promise<WebhookTarget | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(triggerId))
    return null;
  const { rows } = await pool.query<{
    id: string;
    teamId: string;
    name: string;
    eventName: string | null;
    enabled: boolean;
    secret: Buffer | null;
    keyId: string | null;
  }>(
    `SELECT id, team_id AS "teamId", name, event_name AS "eventName", enabled,
            webhook_secret AS secret, webhook_secret_key_id AS "keyId"
       FROM triggers WHERE id = $1 AND kind = 'webhook'`,
    [triggerId],
  );
  const row = rows[0];
  if (!row || !row.secret) return null;
  return {
    id: row.id,
    teamId: row.teamId,
    name: row.name,
    eventName: row.eventName ?? `webhook.${row.name}`,
    enabled: row.enabled,
    secret: openWebhookSecret(key, row.teamId, row.id, row.secret, row.keyId),
  };
}
