export type MigrationErrorCode =
  /** The migrations folder is missing. */
  | 'missing_folder'
  /** A migration folder has no migration.sql. */
  | 'missing_script'
  /** migration_lock.toml names another provider. */
  | 'provider_mismatch'
  /** An applied migration's file changed since it was applied. */
  | 'checksum_mismatch'
  /** `_prisma_migrations` records a migration that failed (applied by Prisma's own CLI). */
  | 'failed_migration'
  /** The schema has tables but no `_prisma_migrations`: not a database made by these migrations. */
  | 'schema_not_empty'
  /** A migration's SQL failed; its transaction was rolled back. */
  | 'apply_failed'
  /** Another process held the migration lock for too long. */
  | 'lock_timeout';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';

  constructor(
    readonly code: MigrationErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
