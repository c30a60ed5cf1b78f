/**
 * Turns the raw measurements into the results file (flat metrics, targets with pass/fail, the
 * environment, the details behind each figure) and the table printed at the end of a run.
 */
import type { BenchConfig } from './config';
import type { ActivitySample, StatementStat } from './database';
import type { DtssResults } from './dtssScenarios';
import type { GraphileResults, ThroughputResult } from './graphileBaseline';
import { median, percentile, round, summarize } from './stats';

export interface Target {
  metric: string;
  rule: string;
  value: number;
  limit: number;
  pass: boolean;
}

export interface Metrics {
  graphile_chain40_ms: number;
  chain40_ms: number;
  chain40_shell_ms: number;
  graphile_throughput_tps: number;
  throughput_tps: number;
  throughput_50x100_tps: number;
  fanout1000_ms: number;
  trigger_to_start_p50_ms: number;
  trigger_to_start_p99_ms: number;
  graphile_pickup_p50_ms: number;
  graphile_pickup_p99_ms: number;
  /** The same latencies from the moment createRun / addJob was called (includes the call). */
  trigger_to_start_from_call_p50_ms: number;
  trigger_to_start_from_call_p99_ms: number;
  graphile_pickup_from_call_p50_ms: number;
  graphile_pickup_from_call_p99_ms: number;
  create_run_p50_ms: number;
  /** The 40-step chain on the same database before and while retention deletes 1M attempts. */
  chain40_before_retention_ms: number;
  chain40_during_retention_ms: number;
}

export function computeMetrics(g: GraphileResults, d: DtssResults): Metrics {
  const tps = (xs: ThroughputResult[]) => median(xs.map((x) => x.tps));
  return round({
    graphile_chain40_ms: median(g.chain40Ms),
    chain40_ms: median(d.chain40Ms),
    chain40_shell_ms: median(d.chain40ShellMs),
    graphile_throughput_tps: tps(g.throughput),
    throughput_tps: tps(d.throughput),
    throughput_50x100_tps: d.throughputManyRuns.tps,
    fanout1000_ms: median(d.fanoutMs),
    trigger_to_start_p50_ms: percentile(d.triggerToStartMs, 50),
    trigger_to_start_p99_ms: percentile(d.triggerToStartMs, 99),
    graphile_pickup_p50_ms: percentile(g.pickupMs, 50),
    graphile_pickup_p99_ms: percentile(g.pickupMs, 99),
    trigger_to_start_from_call_p50_ms: percentile(d.triggerFromCallMs, 50),
    trigger_to_start_from_call_p99_ms: percentile(d.triggerFromCallMs, 99),
    graphile_pickup_from_call_p50_ms: percentile(g.pickupFromCallMs, 50),
    graphile_pickup_from_call_p99_ms: percentile(g.pickupFromCallMs, 99),
    create_run_p50_ms: percentile(d.createRunMs, 50),
    chain40_before_retention_ms: median(d.retention?.chain40BeforeMs ?? []),
    chain40_during_retention_ms: median(d.retention?.chain40DuringMs ?? []),
  });
}

export function computeTargets(m: Metrics): Target[] {
  const t = (metric: keyof Metrics, rule: string, limit: number, le: boolean): Target => ({
    metric,
    rule,
    value: m[metric],
    limit: round(limit),
    pass: le ? m[metric] <= limit : m[metric] >= limit,
  });
  return [
    t('chain40_ms', '≤ 2 × graphile_chain40_ms', 2 * m.graphile_chain40_ms, true),
    t('throughput_tps', '≥ 0.5 × graphile_throughput_tps', 0.5 * m.graphile_throughput_tps, false),
    t('trigger_to_start_p50_ms', '≤ 5 ms', 5, true),
    t('trigger_to_start_p99_ms', '≤ 25 ms', 25, true),
    t(
      'chain40_during_retention_ms',
      '≤ 1.2 × chain40_before_retention_ms',
      1.2 * m.chain40_before_retention_ms,
      true,
    ),
  ];
}

/** Shares of session samples: where the worker sessions spend their time. */
export function summarizeActivity(a: { samples: number; sessions: ActivitySample[] }) {
  const total = a.sessions.reduce((s, x) => s + x.samples, 0);
  const byState = new Map<string, number>();
  for (const x of a.sessions) byState.set(x.state, (byState.get(x.state) ?? 0) + x.samples);
  return round(
    {
      samples: a.samples,
      /** Average number of worker sessions per sample, by state. */
      sessionsPerSample: Object.fromEntries(
        [...byState].sort((x, y) => y[1] - x[1]).map(([k, v]) => [k, v / a.samples]),
      ),
      top: a.sessions
        .filter((x) => x.state !== 'idle')
        .slice(0, 10)
        .map((x) => ({ state: x.state, query: x.query, share: x.samples / total })),
    },
    3,
  );
}

/** Statements per task and database time per task, with the costliest statements. */
export function summarizeStatements(statements: StatementStat[], tasks: number) {
  const calls = statements.reduce((s, x) => s + x.calls, 0);
  const totalMs = statements.reduce((s, x) => s + x.totalMs, 0);
  return round(
    {
      tasks,
      statementsPerTask: calls / tasks,
      dbExecMsPerTask: totalMs / tasks,
      dbPlanMsPerTask: statements.reduce((s, x) => s + x.planMs, 0) / tasks,
      top: statements.slice(0, 12).map((s) => ({
        query: s.query.replace(/\s+/g, ' ').slice(0, 160),
        callsPerTask: s.calls / tasks,
        meanMs: s.meanMs,
        msPerTask: s.totalMs / tasks,
        planMsPerTask: s.planMs / tasks,
      })),
    },
    4,
  );
}

export function cpuPerTask(xs: ThroughputResult[]) {
  const pick = xs.map((x) => x).sort((a, b) => a.tps - b.tps)[Math.floor(xs.length / 2)]!;
  return round(
    {
      workersMsPerTask: pick.cpuMs.workers / pick.tasks,
      postgresMsPerTask: pick.cpuMs.postgres / pick.tasks,
      benchDriverMsPerTask: pick.cpuMs.bench / pick.tasks,
      otherProcessesMsPerTask: pick.cpuMs.other / pick.tasks,
      wallMs: pick.wallMs,
      activeMs: pick.activeMs,
    },
    4,
  );
}

export function details(g: GraphileResults, d: DtssResults, config: BenchConfig) {
  return {
    graphile: {
      chain40Ms: round(g.chain40Ms),
      throughput: round(g.throughput),
      pickupMs: summarize(g.pickupMs),
      pickupFromCallMs: summarize(g.pickupFromCallMs),
      clockOffsets: round(g.clock, 3),
      cpuPerTask: cpuPerTask(g.throughput),
      profile: summarizeStatements(g.statements, g.statementJobs),
      activity: summarizeActivity(g.activity),
    },
    dtss: {
      chain40Ms: round(d.chain40Ms),
      chain40ShellMs: round(d.chain40ShellMs),
      chainPhases: round(d.chainPhases, 3),
      chainShellPhases: round(d.chainShellPhases, 3),
      throughput: round(d.throughput),
      throughputManyRuns: round(d.throughputManyRuns),
      fanoutMs: round(d.fanoutMs),
      triggerToStartMs: summarize(d.triggerToStartMs),
      triggerFromCallMs: summarize(d.triggerFromCallMs),
      createdToStartMs: summarize(d.createdToStartMs),
      createRunMs: summarize(d.createRunMs),
      retention: d.retention ? round(d.retention) : null,
      clockOffsets: round(d.clock, 3),
      cpuPerTask: cpuPerTask(d.throughput),
      profiles: d.profiles.map((p) => ({
        name: p.name,
        ...summarizeStatements(p.statements, p.tasks),
        activity: summarizeActivity(p.activity),
      })),
    },
    settings: {
      processes: config.processes,
      concurrency: config.concurrency,
      pollIntervalMs: config.pollIntervalMs,
      chainRepeats: config.chainRepeats,
      throughputRepeats: config.throughputRepeats,
      fanoutRepeats: config.fanoutRepeats,
      triggerSamples: config.triggerSamples,
    },
  };
}

export function formatTable(m: Metrics, targets: Target[]): string {
  const target = (metric: keyof Metrics) => targets.find((t) => t.metric === metric);
  const rows: [string, number, number | null, keyof Metrics | null][] = [
    ['chain of 40 noop (ms)', m.chain40_ms, m.graphile_chain40_ms, 'chain40_ms'],
    ['chain of 40 shell `true` (ms)', m.chain40_shell_ms, m.graphile_chain40_ms, null],
    [
      'throughput, 1 run × 5,000 (tasks/s)',
      m.throughput_tps,
      m.graphile_throughput_tps,
      'throughput_tps',
    ],
    [
      'throughput, 50 runs × 100 (tasks/s)',
      m.throughput_50x100_tps,
      m.graphile_throughput_tps,
      null,
    ],
    ['fan-out 1 → 1,000 → 1 (ms)', m.fanout1000_ms, null, null],
    [
      'chain of 40 during retention of 1M attempts (ms; vs before it)',
      m.chain40_during_retention_ms,
      m.chain40_before_retention_ms,
      'chain40_during_retention_ms',
    ],
    [
      'trigger → start p50 (ms)',
      m.trigger_to_start_p50_ms,
      m.graphile_pickup_p50_ms,
      'trigger_to_start_p50_ms',
    ],
    [
      'trigger → start p99 (ms)',
      m.trigger_to_start_p99_ms,
      m.graphile_pickup_p99_ms,
      'trigger_to_start_p99_ms',
    ],
    [
      '  same from the call, p50 (ms)',
      m.trigger_to_start_from_call_p50_ms,
      m.graphile_pickup_from_call_p50_ms,
      null,
    ],
    [
      '  same from the call, p99 (ms)',
      m.trigger_to_start_from_call_p99_ms,
      m.graphile_pickup_from_call_p99_ms,
      null,
    ],
  ];
  const header = ['metric', 'DTSS', 'graphile', 'ratio', 'target', 'pass'];
  const body = rows.map(([label, dtss, base, key]) => {
    const t = key ? target(key) : undefined;
    return [
      label,
      fmt(dtss),
      base === null ? '—' : fmt(base),
      base === null ? '—' : `${(dtss / base).toFixed(2)}×`,
      t ? `${t.rule.replace(/ × graphile\w+$/, ' × graphile')} (${fmt(t.limit)})` : '—',
      t ? (t.pass ? 'PASS' : 'FAIL') : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2);
}

/** `BENCH_PROFILE=1 npm run bench -- throughput`: the top statements of the last repeat, per task. */
export function formatTopStatements(stats: StatementStat[], tasks: number, n: number): string {
  return stats
    .slice(0, n)
    .map(
      (x) =>
        `${(x.calls / tasks).toFixed(3)} calls/task  ${x.meanMs.toFixed(3)} ms mean  ` +
        `${(x.buffers / Math.max(x.calls, 1)).toFixed(1)} buffers/call  ` +
        `${(x.totalMs / tasks).toFixed(3)} ms/task  ${x.query.replace(/\s+/g, ' ').slice(0, 100)}`,
    )
    .join('\n');
}
