// Sending an incident's messages: the leader claims due deliveries (pushing their next attempt a
// lease ahead, so no other leader sends them meanwhile), sends, and records each attempt. A failed
// attempt is retried with backoff until the last one, then the delivery is failed.
import type { AlertEvent } from '@dtss/core';
import type { Pool } from '../../pool';
import { fenceCondition, type LeaderFence } from '../schedules/leaderFence';
import type { AlertChannelConfig, AlertChannelKind } from './channels';

export interface DueDelivery {
  id: string;
  teamId: string;
  channelId: string;
  channelName: string;
  channelKind: AlertChannelKind;
  channelConfig: AlertChannelConfig;
  channelEnabled: boolean;
  incidentId: string;
  event: AlertEvent;
  payload: Record<string, unknown>;
  /** This attempt's number (1 for the first). */
  attempt: number;
}

/** Claims up to `limit` due deliveries for `leaseMs`; fenced by the leader's lease. */
export async function claimDueDeliveries(
  pool: Pool,
  fence: LeaderFence | null,
  opts: { limit: number; leaseMs: number },
): Promise<DueDelivery[]> {
  const params: unknown[] = [opts.limit, opts.leaseMs];
  const fenced = fenceCondition(fence, params);
  const { rows } = await pool.query<DueDelivery>(
    `WITH due AS (
       SELECT id FROM alert_deliveries
        WHERE status = 'pending' AND next_attempt_at <= now()
        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED),
     claimed AS (
       UPDATE alert_deliveries d
          SET attempts = d.attempts + 1, next_attempt_at = now() + $2::int * interval '1 millisecond'
        WHERE d.id IN (SELECT id FROM due) AND ${fenced}
        RETURNING d.*)
     SELECT d.id, d.team_id AS "teamId", d.channel_id AS "channelId", c.name AS "channelName",
            c.kind AS "channelKind", c.config AS "channelConfig", c.enabled AS "channelEnabled",
            d.incident_id AS "incidentId", d.event, d.payload, d.attempts AS attempt
       FROM claimed d JOIN alert_channels c ON c.id = d.channel_id
      ORDER BY d.created_at`,
    params,
  );
  return rows;
}

export interface DeliveryAttemptResult {
  deliveryId: string;
  ok: boolean;
  error?: string;
  /** HTTP status or SMTP response code, when there was one. */
  status?: number;
  /** null: no retry (sent, or the last attempt failed). */
  retryInMs: number | null;
}

/** Records one attempt: sent, pending again (next attempt after the backoff) or failed. */
export async function recordDeliveryAttempt(pool: Pool, r: DeliveryAttemptResult): Promise<void> {
  const entry = {
    at: new Date().toISOString(),
    ok: r.ok,
    ...(r.error ? { error: r.error.slice(0, 1000) } : {}),
    ...(r.status !== undefined ? { status: r.status } : {}),
  };
  await pool.query(
    `UPDATE alert_deliveries
        SET attempt_log = attempt_log || jsonb_build_array($2::jsonb),
            status = CASE WHEN $3 THEN 'sent' WHEN $5::int IS NULL THEN 'failed'
                          ELSE 'pending' END::"AlertDeliveryStatus",
            sent_at = CASE WHEN $3 THEN now() END,
            error = CASE WHEN $3 THEN NULL ELSE $4 END,
            next_attempt_at = CASE WHEN $3 OR $5::int IS NULL THEN NULL
                                   ELSE now() + $5::int * interval '1 millisecond' END
      WHERE id = $1 AND status = 'pending'`,
    [r.deliveryId, entry, r.ok, entry.error ?? null, r.retryInMs],
  );
}
