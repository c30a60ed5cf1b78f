/**
 * Prisma's schema engine as WebAssembly (@prisma/schema-engine-wasm), driven through a `pg` driver
 * adapter: how this repository authors migrations and checks them against schema.prisma without
 * the native engine binary (which cannot be downloaded here).
 *
 * The package is internal to Prisma and its API changes without notice; its version is pinned in
 * package.json and everything that touches it lives in this file. Caveats handled here:
 * - Node 20 cannot `import` a .wasm file: the module is instantiated by hand with the package's JS glue;
 * - @prisma/adapter-pg cannot read Postgres's `"char"` type (OID 18), which the engine's catalog
 *   queries return: connections made here report it as text;
 * - the adapter's own shadow-database handling connects to the main database when given a
 *   connection string, and drops the shadow database before closing its pool: the shadow database
 *   is created, connected to (discrete host/user/database fields) and dropped here instead.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type {
  SqlDriverAdapter,
  SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type * as Wasm from '@prisma/schema-engine-wasm';
import pg from 'pg';

export type SchemaEngine = Wasm.SchemaEngine;
export type MigrationList = Wasm.MigrationList;

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..');
export const SCHEMA_PATH = path.join(REPO_ROOT, 'prisma/schema.prisma');
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma/migrations');

const NO_FILTER: Wasm.SchemaFilter = { externalTables: [], externalEnums: [] };

// ─── loading the WebAssembly module ─────────────────────────────────────────────────────────────

interface PanicRegistry {
  message: string;
  set_message(m: string): void;
}

/** The part of the WebAssembly global used here (the repository's `lib` has no DOM types). */
interface WebAssemblyApi {
  instantiate(
    bytes: Uint8Array,
    imports: Record<string, object>,
  ): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

let loaded: Promise<typeof Wasm> | undefined;

/** The engine's JS bindings, with the WebAssembly instance attached (once per process). */
export function loadSchemaEngineModule(): Promise<typeof Wasm> {
  loaded ??= (async () => {
    // The glue reports Rust panics here before throwing; keep the message for our errors.
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry };
    g.PRISMA_WASM_PANIC_REGISTRY ??= {
      message: '',
      set_message(m: string) {
        this.message = `RuntimeError: ${m}`;
      },
    };
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = (await import('@prisma/schema-engine-wasm/schema_engine_bg')) as typeof Wasm & {
      __wbg_set_wasm(exports: unknown): void;
    };
    const bytes = await readFile(path.join(path.dirname(bgPath), 'schema_engine_bg.wasm'));
    const wasmApi = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return loaded;
}

// ─── the driver adapter ─────────────────────────────────────────────────────────────────────────

const CHAR_OID = 18;
const TEXT_OID = 25;

/** Reports `"char"` columns as text: @prisma/adapter-pg rejects OID 18, the engine reads it as a string. */
function patchCharFields(result: unknown): void {
  for (const r of Array.isArray(result) ? result : [result]) {
    const fields = (r as { fields?: { dataTypeID: number }[] } | null)?.fields;
    if (!fields) continue;
    for (const f of fields) if (f.dataTypeID === CHAR_OID) f.dataTypeID = TEXT_OID;
  }
}

class CharAsTextClient extends pg.Client {
  // pg's query() has many overloads; the adapter only uses the promise form with a config object.
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      const cb = last as (err: unknown, res: unknown) => void;
      args[args.length - 1] = (err: unknown, res: unknown) => {
        if (!err) patchCharFields(res);
        cb(err, res);
      };
      return (super.query as (...a: unknown[]) => never)(...args);
    }
    const ret = (super.query as (...a: unknown[]) => unknown)(...args);
    if (ret && typeof (ret as Promise<unknown>).then === 'function') {
      return (ret as Promise<unknown>).then((res) => {
        patchCharFields(res);
        return res;
      }) as never;
    }
    return ret as never;
  }
}

interface ConnectionFields {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl?: { rejectUnauthorized: boolean };
}

function connectionFields(url: string): ConnectionFields {
  const u = new URL(url);
  if (u.searchParams.has('schema') && u.searchParams.get('schema') !== 'public') {
    throw new Error('only the "public" schema is supported (remove ?schema= from the URL)');
  }
  const sslmode = u.searchParams.get('sslmode');
  return {
    host: decodeURIComponent(u.hostname),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
    ...(sslmode && sslmode !== 'disable'
      ? { ssl: { rejectUnauthorized: sslmode === 'verify-full' } }
      : {}),
  };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

async function adminQuery(fields: ConnectionFields, sql: string): Promise<void> {
  const client = new pg.Client({ ...fields, database: 'postgres' });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function adapterFor(fields: ConnectionFields): Promise<SqlDriverAdapter> {
  const pool = new pg.Pool({ ...fields, max: 2, Client: CharAsTextClient });
  return new PrismaPg(pool, { disposeExternalPool: true }).connect();
}

/**
 * An adapter factory whose shadow database is a fresh database on the same server, dropped
 * (after its connections are closed) when the engine disposes of it.
 */
export function migrationAdapterFactory(
  databaseUrl: string,
): SqlMigrationAwareDriverAdapterFactory {
  const fields = connectionFields(databaseUrl);
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => adapterFor(fields),
    async connectToShadowDb() {
      const shadow = `prisma_shadow_${randomBytes(6).toString('hex')}`;
      await adminQuery(fields, `CREATE DATABASE ${quoteIdent(shadow)}`);
      const adapter = await adapterFor({ ...fields, database: shadow });
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await adminQuery(fields, `DROP DATABASE IF EXISTS ${quoteIdent(shadow)} WITH (FORCE)`);
      };
      return adapter;
    },
  };
}

// ─── the engine ─────────────────────────────────────────────────────────────────────────────────

export interface OpenEngineOptions {
  /** Database the engine works on (createMigration also creates shadow databases on its server). */
  databaseUrl: string;
  /** Schema text; defaults to prisma/schema.prisma. */
  schema?: string;
  /** Receives the engine's debug log lines. */
  onLog?: (line: string) => void;
}

export interface OpenedEngine {
  engine: SchemaEngine;
  schemaFiles: Wasm.SchemaContainer[];
  close(): void;
}

export async function openSchemaEngine(opts: OpenEngineOptions): Promise<OpenedEngine> {
  const wasm = await loadSchemaEngineModule();
  const schema = opts.schema ?? readFileSync(SCHEMA_PATH, 'utf8');
  const schemaFiles = [{ path: SCHEMA_PATH, content: schema }];
  const factory = bindMigrationAwareSqlAdapterFactory(migrationAdapterFactory(opts.databaseUrl));
  const engine = await withPanicMessage(() =>
    wasm.SchemaEngine.new(
      { datamodels: schemaFiles.map((f) => [f.path, f.content]) },
      (line: string) => opts.onLog?.(line),
      factory,
    ),
  );
  return { engine, schemaFiles, close: () => engine.free() };
}

/** Rethrows engine failures with the panic message (if any) and the engine's error payload. */
export async function withPanicMessage<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const registry = (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry })
      .PRISMA_WASM_PANIC_REGISTRY;
    const panic = registry?.message;
    if (registry) registry.message = '';
    if (panic) throw new Error(`schema engine panicked: ${panic}`, { cause: err });
    if (err instanceof Error) throw err;
    throw new Error(`schema engine error: ${JSON.stringify(err)}`, { cause: err });
  }
}

// ─── migrations folder ──────────────────────────────────────────────────────────────────────────

/** The migrations folder in the shape the engine takes (Prisma's CLI builds the same list). */
export function readMigrationsList(dir = MIGRATIONS_DIR): MigrationList {
  const lockPath = path.join(dir, 'migration_lock.toml');
  const dirs = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: {
      path: 'migration_lock.toml',
      content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null,
    },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(dir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok', value: readFileSync(file, 'utf8') }
            : { tag: 'error', value: `${file} does not exist` },
        },
      };
    }),
  };
}

export const noFilter = (): Wasm.SchemaFilter => ({ ...NO_FILTER });

/**
 * The SQL that takes the database at `databaseUrl` to the schema (empty when they agree).
 * The database is introspected as it is; nothing is written to it.
 */
export async function diffDatabaseToSchema(databaseUrl: string, schema?: string): Promise<string> {
  const { engine, schemaFiles, close } = await openSchemaEngine({ databaseUrl, schema });
  try {
    const result = await withPanicMessage(() =>
      engine.diff({
        from: { tag: 'schemaDatasource', files: schemaFiles, configDir: REPO_ROOT },
        to: { tag: 'schemaDatamodel', files: schemaFiles },
        script: true,
        exitCode: null,
        filters: noFilter(),
      }),
    );
    return normalizeEmptyScript(result.stdout ?? '');
  } finally {
    close();
  }
}

/** The engine renders an empty diff as a comment line; treat that as empty. */
export function normalizeEmptyScript(sql: string): string {
  const meaningful = sql
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^--\s*This is an empty migration\.?\s*$/i.test(l.trim()));
  return meaningful.length ? sql.trim() : '';
}
