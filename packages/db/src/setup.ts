// Bringing a database up: migrations, the embedded Postgres, first-start data. Used by launchers,
// the CLI and tests, never by request handlers.
export { prepareDatabase, type PrepareResult } from './prepare';
export { ensureDatabase, ensureDatabaseOfUrl, quoteIdent } from './postgres/create-database';
export { embeddedSettingsFromEnv, DEFAULT_PG_PORT } from './postgres/settings';
export {
  applyMigrations,
  getMigrationStatus,
  MigrationError,
  type ApplyMigrationsResult,
  type MigrationStatus,
} from './migrate';
export { seedDemoData, DEMO_ADMIN_EMAIL, DEMO_TEAM_SLUG, type SeedResult } from './seed/seed-demo';
