'use client';
import type { DatabaseHealth } from '@dtss/db';
import { Card } from '@/components/ui/page';
import { StateLabel } from '@/components/ui/StateLabel';
import { dateTime, relativeTime } from '@/lib/format';

/**
 * The database part of the system status, read on the server when the page renders (no API
 * procedure gives it). Its times differ by a second between the server render and the browser's:
 * their <time> elements say so (suppressHydrationWarning).
 */
export function DatabaseCard({
  database: db,
  checkedAt,
  now,
}: {
  database: DatabaseHealth;
  checkedAt: string;
  now: number;
}) {
  return (
    <Card title="Database">
      <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm">
        <dt className="text-muted">Status</dt>
        <dd data-testid="db-status">
          <StateLabel tone={db.ok ? 'ok' : 'bad'} className={db.ok ? undefined : 'text-bad'}>
            {db.ok
              ? `connected (${db.latencyMs} ms${db.serverVersion ? `, Postgres ${db.serverVersion}` : ''})`
              : `unreachable: ${db.error ?? 'no answer'}`}
          </StateLabel>
        </dd>
        <dt className="text-muted">Schema</dt>
        <dd>
          <code className="font-mono text-xs" data-testid="db-migration">
            {db.migration?.latest ?? (db.ok ? 'no migrations applied' : 'unknown')}
          </code>
          {db.migration ? (
            <div className="text-xs text-muted">
              {db.migration.applied} migration{db.migration.applied === 1 ? '' : 's'} applied
              {db.migration.appliedAt ? (
                <>
                  , the last one{' '}
                  <time
                    dateTime={db.migration.appliedAt}
                    title={dateTime(db.migration.appliedAt)}
                    suppressHydrationWarning
                  >
                    {relativeTime(db.migration.appliedAt, now)}
                  </time>
                </>
              ) : null}
            </div>
          ) : null}
        </dd>
        <dt className="text-muted">Checked</dt>
        <dd>
          <time dateTime={checkedAt} title={dateTime(checkedAt)} suppressHydrationWarning>
            {relativeTime(checkedAt, now)}
          </time>
        </dd>
      </dl>
    </Card>
  );
}
