/**
 * The migrations folder, in Prisma's layout: `<timestamp>_<name>/migration.sql` per migration and a
 * `migration_lock.toml` naming the provider. Checksums are computed exactly as Prisma's engine does.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MigrationError } from './errors';

/** prisma/migrations at the repository root (DTSS_MIGRATIONS_DIR overrides, e.g. in a bundle). */
export function defaultMigrationsDir(): string {
  if (process.env.DTSS_MIGRATIONS_DIR) return path.resolve(process.env.DTSS_MIGRATIONS_DIR);
  return path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '../../../../prisma/migrations',
  );
}

export interface MigrationFile {
  /** Folder name, e.g. `20261126070409_init`; also the `migration_name` Prisma records. */
  name: string;
  sql: string;
  /** sha256 of the file, lowercase hex: the `checksum` Prisma records. */
  checksum: string;
}

/** The migrations in the order they apply (folder names sort by their timestamp prefix). */
export function readMigrationFiles(dir = defaultMigrationsDir()): MigrationFile[] {
  if (!existsSync(dir)) {
    throw new MigrationError('missing_folder', `migrations folder ${dir} does not exist`);
  }
  checkLockfile(dir);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      if (!existsSync(file)) {
        throw new MigrationError(
          'missing_script',
          `migration ${name} has no migration.sql (${file})`,
        );
      }
      const sql = readFileSync(file, 'utf8');
      return { name, sql, checksum: migrationChecksum(sql) };
    });
}

export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * Whether a recorded checksum belongs to this script, with Prisma's tolerances: the file may have
 * been checked out with the other line endings, and very old Prisma versions wrote the hex digits
 * of each byte without zero padding.
 */
export function checksumMatches(sql: string, recorded: string): boolean {
  const variants = [sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\n/g, '\r\n')];
  return variants.some((v) => {
    const digest = createHash('sha256').update(v, 'utf8').digest();
    const rendered =
      recorded.length !== 0 && recorded.length !== 64
        ? Array.from(digest, (b) => b.toString(16)).join('')
        : digest.toString('hex');
    return rendered === recorded;
  });
}

/** Prisma refuses to apply a folder made for another database provider; so do we. */
function checkLockfile(dir: string): void {
  const lock = path.join(dir, 'migration_lock.toml');
  if (!existsSync(lock)) return;
  const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lock, 'utf8'))?.[1];
  if (provider !== undefined && provider !== 'postgresql') {
    throw new MigrationError(
      'provider_mismatch',
      `${lock} says provider "${provider}", but DTSS migrations are for "postgresql"`,
    );
  }
}
