// Triggers made through the API: webhooks (with a generated signing secret, shown once), and
// pausing, resuming or removing any trigger. Declared ones are edited in their workflow file.
import { randomUUID } from 'node:crypto';
import type { Pool } from '../../pool';
import { readTrigger } from './readTriggers';
import {
  createWebhookTriggerInputSchema,
  parseTriggerInput,
  setTriggerEnabledInputSchema,
  TriggerError,
  triggerRefSchema,
  webhookPath,
  type CreateWebhookTriggerInput,
  type SetTriggerEnabledInput,
  type TriggerRef,
  type TriggerView,
} from './types';
import { generateWebhookSecret, sealWebhookSecret, type WebhookKeyInput } from './webhookSecrets';

export interface WebhookTriggerCreated {
  trigger: TriggerView;
  /** The signing secret: shown to the user once, never readable again. */
  secret: string;
  /** Path to POST signed requests to (prefix the web app's origin). */
  path: string;
}

/** `key`: the secrets master key (DTSS_SECRETS_KEY) that seals the signing secret. */
export async function createWebhookTrigger(
  pool: Pool,
  input: CreateWebhookTriggerInput,
  key: WebhookKeyInput,
): Promise<WebhookTriggerCreated> {
  const i = parseTriggerInput(createWebhookTriggerInputSchema, input);
  const workflow = await pool.query(`SELECT 1 FROM workflows WHERE team_id = $1 AND id = $2`, [
    i.teamId,
    i.workflowId,
  ]);
  if (!workflow.rowCount)
    throw new TriggerError('unknown_workflow', `unknown workflow ${i.workflowId}`);
  const id = randomUUID();
  const secret = generateWebhookSecret();
  const sealed = sealWebhookSecret(key, i.teamId, id, secret);
  const { rowCount } = await pool.query(
    `INSERT INTO triggers (id, team_id, workflow_id, name, kind, event_name, filter, params_mapping,
                           webhook_secret, webhook_secret_key_id, enabled, source)
     VALUES ($1, $2, $3, $4, 'webhook', $5, $6, $7, $8, $9, $10, 'ui')
     ON CONFLICT (workflow_id, name) DO NOTHING`,
    [
      id,
      i.teamId,
      i.workflowId,
      i.name,
      i.eventName ?? `webhook.${i.name}`,
      JSON.stringify(i.filter),
      JSON.stringify(i.params),
      sealed.ciphertext,
      sealed.keyId,
      i.enabled,
    ],
  );
  if (!rowCount) {
    throw new TriggerError(
      'duplicate_name',
      `this workflow already has a trigger named "${i.name}"`,
    );
  }
  return { trigger: (await readTrigger(pool, i.teamId, id))!, secret, path: webhookPath(id) };
}

/** A new signing secret for a webhook (the old one stops working at once); shown once. */
export async function rotateWebhookSecret(
  pool: Pool,
  input: TriggerRef,
  key: WebhookKeyInput,
): Promise<{ secret: string }> {
  const { teamId, triggerId } = parseTriggerInput(triggerRefSchema, input);
  const current = await readTrigger(pool, teamId, triggerId);
  if (!current) throw new TriggerError('unknown_trigger', `unknown trigger ${triggerId}`);
  if (current.kind !== 'webhook') {
    throw new TriggerError('not_a_webhook', `trigger "${current.name}" is not a webhook`);
  }
  const secret = generateWebhookSecret();
  const sealed = sealWebhookSecret(key, teamId, triggerId, secret);
  await pool.query(
    `UPDATE triggers SET webhook_secret = $2, webhook_secret_key_id = $3, updated_at = now()
      WHERE id = $1`,
    [triggerId, sealed.ciphertext, sealed.keyId],
  );
  return { secret };
}

export async function setTriggerEnabled(
  pool: Pool,
  input: SetTriggerEnabledInput,
): Promise<TriggerView> {
  const { teamId, triggerId, enabled } = parseTriggerInput(setTriggerEnabledInputSchema, input);
  const { rowCount } = await pool.query(
    `UPDATE triggers SET enabled = $3, updated_at = now() WHERE team_id = $1 AND id = $2`,
    [teamId, triggerId, enabled],
  );
  if (!rowCount) throw new TriggerError('unknown_trigger', `unknown trigger ${triggerId}`);
  return (await readTrigger(pool, teamId, triggerId))!;
}

/** Removes a UI-made trigger; its runs and events stay. */
export async function deleteTrigger(pool: Pool, input: TriggerRef): Promise<boolean> {
  const { teamId, triggerId } = parseTriggerInput(triggerRefSchema, input);
  const current = await readTrigger(pool, teamId, triggerId);
  if (!current) return false;
  if (current.source === 'definition') {
    throw new TriggerError(
      'declared_in_file',
      `trigger "${current.name}" is declared in the workflow file of "${current.workflowName}": remove it there and apply the file`,
    );
  }
  const { rowCount } = await pool.query(`DELETE FROM triggers WHERE id = $1`, [triggerId]);
  return rowCount === 1;
}
