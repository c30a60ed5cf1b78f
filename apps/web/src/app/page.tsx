import { readHealth } from '@/server/health';

export const dynamic = 'force-dynamic';

export default async function HomePage() {
  const health = await readHealth();
  const db = health.database;
  return (
    <main>
      <h1>DTSS</h1>
      <p className="muted">
        Distributed task scheduling: define, schedule, execute and watch workflows.
      </p>
      <section className="panel" aria-label="System status">
        <h2>System status</h2>
        <dl>
          <dt>Status</dt>
          <dd data-testid="health-status" className={health.status === 'ok' ? 'ok' : 'bad'}>
            {health.status}
          </dd>
          <dt>Database</dt>
          <dd data-testid="db-status">
            {db.ok
              ? `connected (${db.latencyMs} ms, Postgres ${db.serverVersion})`
              : `unreachable: ${db.error}`}
          </dd>
          <dt>Schema</dt>
          <dd data-testid="db-migration">{db.migration?.latest ?? 'no migrations applied'}</dd>
        </dl>
      </section>
      <section className="panel" aria-label="Workers">
        <h2>Workers</h2>
        {health.workers.length === 0 ? (
          <p className="muted">No live workers.</p>
        ) : (
          <table data-testid="workers">
            <thead>
              <tr>
                <th>Name</th>
                <th>Host</th>
                <th>Pools</th>
                <th>Status</th>
                <th>Last heartbeat</th>
              </tr>
            </thead>
            <tbody>
              {health.workers.map((w) => (
                <tr key={`${w.hostname}:${w.pid}`}>
                  <td>{w.name}</td>
                  <td>
                    {w.hostname}:{w.pid}
                  </td>
                  <td>{w.pools.join(', ')}</td>
                  <td>{w.status}</td>
                  <td>{new Date(w.lastHeartbeatAt).toISOString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
