/**
 * Brings a database to the schema this code expects: our migrations, then graphile-worker's own
 * (its `graphile_worker` schema, which our transactions call to enqueue jobs). The one place
 * start-up and tests share, so a test database is prepared exactly like a production one.
 */
import { Logger, runMigrations } from 'graphile-worker';
import { applyMigrations } from './migrate';

export interface PrepareResult {
  applied: string[];
  latest: string | null;
}

export async function prepareDatabase(databaseUrl: string): Promise<PrepareResult> {
  const result = await applyMigrations(databaseUrl);
  await runMigrations({ connectionString: databaseUrl, logger: silentLogger() });
  return result;
}

function silentLogger() {
  // graphile-worker logs every migration at info level; start-up prints its own summary.
  return new Logger(() => () => {});
}
