/**
 * Operator commands for the database DATABASE_URL names (DTSS processes also migrate by themselves
 * at start-up, so this is rarely needed):
 *
 *   npx tsx packages/db/scripts/migrate.ts status   what is applied, pending, failed or edited
 *   npx tsx packages/db/scripts/migrate.ts deploy   apply the pending migrations
 *
 * The equivalents of `prisma migrate status|deploy`, without Prisma's native engine.
 */
import { applyMigrations, getMigrationStatus } from '../src/migrate';

async function main(): Promise<number> {
  const command = process.argv[2] ?? 'status';
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error(
      'Set DATABASE_URL to the database to migrate. (The embedded database is migrated by `npm start`.)',
    );
    return 2;
  }
  if (command === 'deploy') {
    const result = await applyMigrations(url, { log: (m) => console.log(m) });
    console.log(
      result.applied.length
        ? `applied ${result.applied.length} migration(s); latest ${result.latest}`
        : `nothing to apply; latest ${result.latest ?? 'none'}`,
    );
    return 0;
  }
  if (command === 'status') {
    const s = await getMigrationStatus(url);
    console.log(`applied: ${s.applied.length} (latest ${s.latest ?? 'none'})`);
    for (const name of s.pending) console.log(`pending:  ${name}`);
    for (const name of s.failed) console.log(`FAILED:   ${name}`);
    for (const name of s.modified)
      console.log(`EDITED:   ${name} (file changed after it was applied)`);
    for (const name of s.unknown) console.log(`unknown:  ${name} (applied, not in this checkout)`);
    return s.failed.length || s.modified.length ? 1 : 0;
  }
  console.error('usage: npx tsx packages/db/scripts/migrate.ts [status|deploy]');
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
