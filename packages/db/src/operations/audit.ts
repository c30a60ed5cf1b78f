/**
 * The audit trail: who (a user or an API token) did what in a team. Mutations write their record
 * in the same transaction as the change when they can (`auditedTransaction`), otherwise right after.
 */
import type { Pool, PoolClient } from '../pool';
import { withTransaction } from '../transaction';

type Queryable = Pick<Pool, 'query'>;

export interface AuditRecord {
  teamId: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  /** Dotted verb, e.g. `workflow.apply`, `secret.update`, `member.role_change`. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** What changed. Never secret values or token plaintexts. */
  summary?: Record<string, unknown>;
  ip?: string | null;
}

export async function recordAudit(db: Queryable, record: AuditRecord): Promise<void> {
  await db.query(
    `INSERT INTO audit_logs (team_id, actor_user_id, actor_token_id, action, target_type,
                             target_id, summary, ip)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      record.teamId,
      record.actorUserId,
      record.actorTokenId,
      record.action,
      record.targetType ?? null,
      record.targetId ?? null,
      JSON.stringify(record.summary ?? {}),
      record.ip ?? null,
    ],
  );
}

/**
 * Runs `change` and writes its audit record in one transaction: a change is never stored without
 * its record, nor a record without its change. `audit` returns null when nothing changed.
 */
export async function auditedTransaction<T>(
  pool: Pool,
  change: (client: PoolClient) => Promise<T>,
  audit: (result: T) => AuditRecord | null,
): Promise<T> {
  return withTransaction(pool, async (client) => {
    const result = await change(client);
    const record = audit(result);
    if (record) await recordAudit(client, record);
    return result;
  });
}

export interface AuditEntry {
  id: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  summary: Record<string, unknown>;
  ip: string | null;
  createdAt: Date;
  actorUserId: string | null;
  actorEmail: string | null;
  actorTokenId: string | null;
  actorTokenName: string | null;
}

/** Keyset cursor over (createdAt, id), newest first. */
export interface TimeCursor {
  createdAt: Date;
  id: string;
}

export interface AuditFilters {
  /** An action (`workflow.apply`) or a prefix of actions (`workflow` matches `workflow.*`). */
  action?: string | null;
  /** Part of the actor's email or of the acting token's name, any case. */
  actor?: string | null;
  /** Entries at or after this time. */
  from?: Date | null;
  /** Entries at or before this time. */
  to?: Date | null;
}

export async function listAudit(
  db: Queryable,
  teamId: string,
  opts: { limit: number; cursor?: TimeCursor | null } & AuditFilters,
): Promise<{ items: AuditEntry[]; nextCursor: TimeCursor | null }> {
  const { rows } = await db.query<AuditEntry>(
    `SELECT a.id, a.action, a.target_type AS "targetType", a.target_id AS "targetId", a.summary,
            a.ip, a.created_at AS "createdAt", a.actor_user_id AS "actorUserId",
            u.email AS "actorEmail", a.actor_token_id AS "actorTokenId",
            t.name AS "actorTokenName"
       FROM audit_logs a
       LEFT JOIN users u ON u.id = a.actor_user_id
       LEFT JOIN api_tokens t ON t.id = a.actor_token_id
      WHERE a.team_id = $1
        AND ($2::timestamptz IS NULL OR (a.created_at, a.id) < ($2::timestamptz, $3::uuid))
        AND ($4::text IS NULL OR a.action = $4 OR a.action LIKE $4 || '.%')
        AND ($6::text IS NULL OR u.email ILIKE $6 ESCAPE '\\' OR t.name ILIKE $6 ESCAPE '\\')
        AND ($7::timestamptz IS NULL OR a.created_at >= $7)
        AND ($8::timestamptz IS NULL OR a.created_at <= $8)
      ORDER BY a.created_at DESC, a.id DESC
      LIMIT $5`,
    [
      teamId,
      opts.cursor?.createdAt ?? null,
      opts.cursor?.id ?? null,
      opts.action ?? null,
      opts.limit + 1,
      opts.actor ? `%${escapeLike(opts.actor)}%` : null,
      opts.from ?? null,
      opts.to ?? null,
    ],
  );
  return pageOf(rows, opts.limit);
}

/** `text` matched literally by LIKE: its `%`, `_` and backslashes escaped with a backslash. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Splits `limit + 1` rows into a page and the cursor of its last row (null: no more rows). */
export function pageOf<R extends { createdAt: Date; id: string }>(
  rows: R[],
  limit: number,
): { items: R[]; nextCursor: TimeCursor | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null,
  };
}
