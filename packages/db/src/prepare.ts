/**
 * Brings a database to the schema this code expects. The one place start-up and tests share, so a
 * test database is prepared exactly like a production one.
 */
import { applyMigrations } from './migrate';

export interface PrepareResult {
  applied: string[];
  latest: string | null;
}

export async function prepareDatabase(databaseUrl: string): Promise<PrepareResult> {
  return applyMigrations(databaseUrl);
}
