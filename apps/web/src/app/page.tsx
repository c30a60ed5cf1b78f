import { readHealth } from '@/server/health';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const health = await readHealth();
  const db = health.database;
  return (
    <main>
      <h1>DTSS</h1>
      <p className="muted">Distributed task scheduling: define, schedule, execute and watch workflows.</p>
      <section className="panel" aria-label="System status">
        <h2>System status</h2>
        <dl>
          <dt>Status</dt>
          <dd data-testid="health-status" className={health.status === 'ok' ? 'ok' : 'bad'}>
            {health.status}
          </dd>
          <dt>Database</dt>
          <dd data-testid="db-status">
            {db.ok ? `connected (${db.latencyMs} ms, Postgres ${db.serverVersion})` : `unreachable: ${db.error}`}
          </dd>
          <dt>Schema</dt>
          <dd data-testid="db-migration">{db.migration?.latest ?? 'no migrations applied'}</dd>
        </dl>
      </section>
    </main>
  );
}
