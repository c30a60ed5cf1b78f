/**
 * Scheduler options from the environment, validated with zod so a typo stops the process with a
 * message instead of running misconfigured.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const schedulerConfigSchema = z.object({
  databaseUrl: z.string().min(1, 'DATABASE_URL is required'),
  /** A dead leader is replaced within this time. */
  leaderTtlMs: ms(1_000, 600_000, 10_000),
  housekeepingMs: ms(100, 600_000, 1_000),
  /** Heartbeats (every 2 s by default) missed this long make a worker lost. */
  workerLostAfterMs: ms(1_000, 3_600_000, 8_000),
  /** Schedules fired at once (each fire is a few round trips; 100 due at one second need several). */
  fireConcurrency: z.coerce.number().int().min(1).max(64).default(8),
  /** The loop sleeps until the next due schedule, but never longer than this. */
  maxSleepMs: ms(100, 3_600_000, 60_000),
  /** Safety-net scans: unprocessed events, missed after-run triggers, stalled backfills. */
  safetyScanMs: ms(100, 3_600_000, 10_000),
  /** How often the leader looks for closed hours to roll up for the dashboards. */
  metricsRollupMs: ms(100, 3_600_000, 60_000),
  /** How often the leader applies the teams' retention (each pass goes until nothing is left). */
  retentionMs: ms(100, 86_400_000, 60_000),
  /** Serve Prometheus metrics on this port (none when unset; 0 picks a free one). */
  metricsPort: z.coerce.number().int().min(0).max(65535).optional(),
  metricsHost: z.string().optional(),
  metricsToken: z.string().optional(),
  /** How often the leader evaluates alert rules and sends due alert messages. */
  alertsMs: ms(100, 3_600_000, 2_000),
  /** The first retry of a failed alert message waits this long, each next one twice as long. */
  alertRetryBaseMs: ms(10, 3_600_000, 5_000),
  /** Attempts per alert message before it is recorded as failed. */
  alertMaxAttempts: z.coerce.number().int().min(1).max(50).default(6),
  /** Time limit of one send (HTTP request, SMTP session). */
  alertTimeoutMs: ms(100, 600_000, 10_000),
  /** The web app's address as users reach it, for links in alert messages. */
  publicUrl: z.url().optional(),
  /** Opens alert channels' sealed settings. */
  secretsKey: z.string().optional(),
});
export type SchedulerConfig = z.infer<typeof schedulerConfigSchema>;

export function loadSchedulerConfig(env: NodeJS.ProcessEnv, argv: string[] = []): SchedulerConfig {
  const { values } = parseArgs({
    args: argv,
    options: { 'metrics-port': { type: 'string' } },
    strict: true,
  });
  const parsed = schedulerConfigSchema.safeParse({
    databaseUrl: env.DATABASE_URL,
    leaderTtlMs: env.DTSS_LEADER_TTL_MS || undefined,
    housekeepingMs: env.DTSS_HOUSEKEEPING_MS || undefined,
    workerLostAfterMs: env.DTSS_WORKER_LOST_AFTER_MS || undefined,
    fireConcurrency: env.DTSS_SCHEDULER_CONCURRENCY || undefined,
    maxSleepMs: env.DTSS_SCHEDULER_MAX_SLEEP_MS || undefined,
    safetyScanMs: env.DTSS_SCHEDULER_SCAN_MS || undefined,
    metricsRollupMs: env.DTSS_METRICS_ROLLUP_MS || undefined,
    retentionMs: env.DTSS_RETENTION_MS || undefined,
    metricsPort: values['metrics-port'] ?? (env.DTSS_METRICS_PORT || undefined),
    metricsHost: env.DTSS_METRICS_HOST || undefined,
    metricsToken: env.DTSS_METRICS_TOKEN || undefined,
    alertsMs: env.DTSS_ALERTS_MS || undefined,
    alertRetryBaseMs: env.DTSS_ALERTS_RETRY_BASE_MS || undefined,
    alertMaxAttempts: env.DTSS_ALERTS_MAX_ATTEMPTS || undefined,
    alertTimeoutMs: env.DTSS_ALERTS_TIMEOUT_MS || undefined,
    publicUrl: env.DTSS_PUBLIC_URL || undefined,
    secretsKey: env.DTSS_SECRETS_KEY || undefined,
  });
  if (!parsed.success) {
    throw new Error(
      `invalid scheduler configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
