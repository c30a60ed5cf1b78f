/** Settings of one benchmark run; both sides get the same worker settings. */

export interface BenchConfig {
  /** Worker processes per side. */
  processes: number;
  /** Concurrency of each worker process (graphile `concurrency`, DTSS `--concurrency`). */
  concurrency: number;
  pollIntervalMs: number;
  chainSteps: number;
  chainRepeats: number;
  throughputTasks: number;
  throughputRepeats: number;
  fanoutWidth: number;
  fanoutRepeats: number;
  triggerSamples: number;
  /** Tasks in the profile pass (pg_stat_statements on). */
  profileTasks: number;
  adminUrl: string;
  dataDir: string;
  graphileDb: string;
  dtssDb: string;
  /** `npm run bench -- throughput`: only the throughput scenario of each side (a quick loop). */
  throughputOnly?: boolean;
  /** `npm run bench -- retention`: only the chain before and during retention. */
  retentionOnly?: boolean;
}

export const DEFAULTS = {
  processes: 2,
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 8),
  pollIntervalMs: 500,
  chainSteps: 40,
  chainRepeats: 5,
  throughputTasks: 5_000,
  throughputRepeats: Number(process.env.BENCH_TP_REPEATS ?? 3),
  fanoutWidth: 1_000,
  fanoutRepeats: 3,
  triggerSamples: 200,
  profileTasks: 2_000,
  graphileDb: 'bench_graphile',
  dtssDb: 'bench_dtss',
} satisfies Partial<BenchConfig>;
