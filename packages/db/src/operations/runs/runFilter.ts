/**
 * The one WHERE clause of "a team's runs matching the list filters", shared by the runs list
 * (listRuns), its count (countRuns) and bulk actions on a filter (matchingRunIds), so a count shown
 * to a person and the runs an action then touches are chosen by the very same SQL.
 */
import type { Pool } from '../../pool';
import type { RunListFilters } from '../runQueries';

type Queryable = Pick<Pool, 'query'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RunFilterSql {
  /** Conditions on `r` (workflow_runs) and `w` (its workflow), joined by AND. */
  where: string;
  /** Their parameters, numbered from `first`. */
  params: unknown[];
}

/**
 * The conditions for runs of `teamId` matching `filters`. The query must name workflow_runs `r`
 * and join its workflow as `w`; placeholders start at `$first` (earlier ones are the caller's).
 */
export function runFilterSql(teamId: string, filters: RunListFilters, first = 1): RunFilterSql {
  const wf = filters.workflow ?? null;
  const wfIsId = wf !== null && UUID.test(wf);
  const p = (i: number) => `$${first + i}`;
  return {
    where: [
      `r.team_id = ${p(0)}`,
      `(${p(1)}::text IS NULL OR ${wfIsId ? `w.id = ${p(1)}::uuid` : `w.name = ${p(1)}`})`,
      `(${p(2)}::text[] IS NULL OR r.status::text = ANY (${p(2)}::text[]))`,
      `(${p(3)}::text[] IS NULL OR r.trigger_kind::text = ANY (${p(3)}::text[]))`,
      `(${p(4)}::timestamptz IS NULL OR r.created_at >= ${p(4)})`,
      `(${p(5)}::timestamptz IS NULL OR r.created_at < ${p(5)})`,
    ].join('\n        AND '),
    params: [
      teamId,
      wf,
      filters.statuses?.length ? filters.statuses : null,
      filters.triggerKinds?.length ? filters.triggerKinds : null,
      filters.from ?? null,
      filters.to ?? null,
    ],
  };
}

/** How many of the team's runs match the filters. */
export async function countRuns(
  db: Queryable,
  teamId: string,
  filters: RunListFilters,
): Promise<number> {
  const f = runFilterSql(teamId, filters);
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n
       FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
      WHERE ${f.where}`,
    f.params,
  );
  return rows[0]?.n ?? 0;
}

/** Ids of the team's runs matching the filters, newest first, `limit` at most. */
export async function matchingRunIds(
  db: Queryable,
  teamId: string,
  filters: RunListFilters,
  limit: number,
): Promise<string[]> {
  const f = runFilterSql(teamId, filters);
  const { rows } = await db.query<{ id: string }>(
    `SELECT r.id
       FROM workflow_runs r JOIN workflows w ON w.id = r.workflow_id
      WHERE ${f.where}
      ORDER BY r.created_at DESC, r.id DESC
      LIMIT $${f.params.length + 1}`,
    [...f.params, limit],
  );
  return rows.map((r) => r.id);
}
