/**
 * Worker options: command-line flags win over env vars, which win over defaults.
 * Validated with zod so a typo stops the process with a message instead of running misconfigured.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';

const poolName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, 'pool names are letters, digits, - and _');

export const workerConfigSchema = z.object({
  databaseUrl: z.string().min(1, 'DATABASE_URL is required (the Postgres the workers share)'),
  name: z.string().min(1).max(200),
  pools: z.array(poolName).min(1),
  concurrency: z.coerce.number().int().min(1).max(1000),
  heartbeatMs: z.coerce.number().int().min(200).max(60_000),
  drainGraceMs: z.coerce.number().int().min(0).max(3_600_000),
  pollIntervalMs: z.coerce.number().int().min(50).max(60_000),
  logMaxBytes: z.coerce.number().int().min(1024),
  secretsKey: z.string().optional(),
  /** Serve Prometheus metrics on this port (none when unset; 0 picks a free one). */
  metricsPort: z.coerce.number().int().min(0).max(65535).optional(),
  metricsHost: z.string().optional(),
  metricsToken: z.string().optional(),
  /** Label dtss_tasks_finished_total with the workflow's name (one series per workflow). */
  metricsWorkflowLabels: z.boolean(),
});
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export const WORKER_HELP = `dtss worker — runs workflow tasks

Options (flag / env var / default):
  --name <name>            DTSS_WORKER_NAME          <hostname>-<pid>
  --pools <a,b>            DTSS_WORKER_POOLS         default
  --concurrency <n>        DTSS_WORKER_CONCURRENCY   4
  --heartbeat-ms <ms>      DTSS_HEARTBEAT_MS         2000
  --drain-grace-ms <ms>    DTSS_DRAIN_GRACE_MS       30000
  --poll-interval-ms <ms>  DTSS_POLL_INTERVAL_MS     500 (due retries are found by polling)
  (log cap per attempt)    DTSS_LOG_MAX_BYTES        10485760
  (secrets master key)     DTSS_SECRETS_KEY          required for tasks that use secrets
  --metrics-port <port>    DTSS_METRICS_PORT         none (serve GET /metrics there)
  (metrics bind address)   DTSS_METRICS_HOST         all interfaces
  (metrics bearer token)   DTSS_METRICS_TOKEN        none (anyone may scrape)
  (workflow label)         DTSS_METRICS_WORKFLOW_LABELS  0 (1: counters per workflow)
  (database)               DATABASE_URL              required
`;

export function loadWorkerConfig(argv: string[], env: NodeJS.ProcessEnv): WorkerConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      pools: { type: 'string' },
      concurrency: { type: 'string' },
      'heartbeat-ms': { type: 'string' },
      'drain-grace-ms': { type: 'string' },
      'poll-interval-ms': { type: 'string' },
      'metrics-port': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(WORKER_HELP);
    process.exit(0);
  }
  const parsed = workerConfigSchema.safeParse({
    databaseUrl: env.DATABASE_URL ?? '',
    name: values.name ?? env.DTSS_WORKER_NAME ?? `${os.hostname()}-${process.pid}`,
    pools: (values.pools ?? env.DTSS_WORKER_POOLS ?? 'default').split(',').map((p) => p.trim()),
    concurrency: values.concurrency ?? env.DTSS_WORKER_CONCURRENCY ?? 4,
    heartbeatMs: values['heartbeat-ms'] ?? env.DTSS_HEARTBEAT_MS ?? 2000,
    drainGraceMs: values['drain-grace-ms'] ?? env.DTSS_DRAIN_GRACE_MS ?? 30_000,
    pollIntervalMs: values['poll-interval-ms'] ?? env.DTSS_POLL_INTERVAL_MS ?? 500,
    logMaxBytes: env.DTSS_LOG_MAX_BYTES ?? 10 * 1024 * 1024,
    secretsKey: env.DTSS_SECRETS_KEY || undefined,
    metricsPort: values['metrics-port'] ?? (env.DTSS_METRICS_PORT || undefined),
    metricsHost: env.DTSS_METRICS_HOST || undefined,
    metricsToken: env.DTSS_METRICS_TOKEN || undefined,
    metricsWorkflowLabels: env.DTSS_METRICS_WORKFLOW_LABELS === '1',
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || 'config'}: ${i.message}`);
    throw new Error(`invalid worker configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
