// Sends the due deliveries: claim (fenced, with a lease), open the channel's sealed settings, send
// through the channel's kind, record the attempt; a failure is retried after an exponential
// backoff until the last attempt.
import {
  claimDueDeliveries,
  readAlertChannelSecret,
  recordDeliveryAttempt,
  type DueDelivery,
  type EmailSettings,
  type LeaderFence,
  type Pool,
  type SecretsKey,
} from '@dtss/db';
import type { AlertPayload } from './payload';
import type { SendResult } from './http';
import { sendEmail } from './sendEmail';
import { sendSlack } from './sendSlack';
import { sendWebhook } from './sendWebhook';

export interface DeliverOptions {
  fence: LeaderFence | null;
  /** DTSS_SECRETS_KEY; without it nothing can be sent (each attempt says so). */
  key: SecretsKey | null;
  maxAttempts: number;
  /** The first retry waits this long, each next one twice as long (at most 10 minutes). */
  retryBaseMs: number;
  timeoutMs: number;
  batch?: number;
}

export function retryDelayMs(attempt: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** (attempt - 1), 600_000);
}

/** One round: every due delivery (up to the batch), sent in parallel. The number handled. */
export async function deliverDue(pool: Pool, opts: DeliverOptions): Promise<number> {
  const due = await claimDueDeliveries(pool, opts.fence, {
    limit: opts.batch ?? 20,
    // Long enough for a send to time out and be recorded.
    leaseMs: opts.timeoutMs * 3 + 5_000,
  });
  await Promise.all(
    due.map(async (d) => {
      const result = await sendOne(pool, d, opts).catch((err: Error): SendResult => ({
        ok: false,
        error: err.message,
      }));
      const retry = !result.ok && !result.permanent && d.attempt < opts.maxAttempts;
      await recordDeliveryAttempt(pool, {
        deliveryId: d.id,
        ok: result.ok,
        ...(result.ok ? {} : { error: result.error }),
        ...(result.status !== undefined ? { status: result.status } : {}),
        retryInMs: retry ? retryDelayMs(d.attempt, opts.retryBaseMs) : null,
      });
    }),
  );
  return due.length;
}

async function sendOne(pool: Pool, d: DueDelivery, opts: DeliverOptions): Promise<SendResult> {
  if (!d.channelEnabled)
    return { ok: false, error: `channel ${d.channelName} is disabled`, permanent: true };
  if (!opts.key) return { ok: false, error: 'DTSS_SECRETS_KEY is not set on the scheduler' };
  const secret = await readAlertChannelSecret(pool, d.teamId, d.channelId, opts.key);
  const payload = d.payload as unknown as AlertPayload;
  if (!secret) return { ok: false, error: 'the channel has no settings' };
  switch (secret.kind) {
    case 'webhook':
      return sendWebhook(secret, d.id, payload, opts.timeoutMs);
    case 'slack':
      return sendSlack(secret, payload, opts.timeoutMs);
    case 'email':
      return sendEmail(d.channelConfig as EmailSettings, secret.password, payload, opts.timeoutMs);
  }
}
