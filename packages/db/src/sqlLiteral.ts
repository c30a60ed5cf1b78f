/**
 * Inlines parameters as escaped literals, for the few hot-path statements sent together with
 * BEGIN or COMMIT in one round trip (Postgres accepts several statements in one message only
 * without bind parameters).
 */
import type { PoolClient } from './pool';

export type SqlValue = string | number | boolean | null | undefined;

export function inlineParams(client: PoolClient, sql: string, params: SqlValue[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(client, params[Number(n) - 1]));
}

function literal(client: PoolClient, value: SqlValue): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot inline ${value} as SQL`);
    return String(value);
  }
  return client.escapeLiteral(value);
}
