/**
 * Prisma CLI configuration (Prisma 7 reads the database URL here, not from schema.prisma).
 * `prisma generate` needs no database; `prisma migrate deploy|status` on a machine that can run
 * Prisma's native engine read DATABASE_URL. In this repository migrations are applied by
 * src/migrate and authored by scripts/migration-create.ts: see README.md.
 */
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: '../../prisma/schema.prisma',
  migrations: { path: '../../prisma/migrations' },
  // Not `env('DATABASE_URL')`: that throws when unset, and `prisma generate` must work without it.
  datasource: { url: process.env.DATABASE_URL },
});
