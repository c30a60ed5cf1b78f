/**
 * Scheduler benchmark: 100 schedules firing every second (one per workflow, overlap allow_all,
 * catch-up all) on real scheduler processes, then a SIGKILL of the leader.
 *
 * - Steady state (30 s with one leader): delay from each scheduled instant to its run row's
 *   created_at (the createRun transaction's start, Postgres clock; the instant is exact, and the
 *   scheduler, Postgres and this process share one machine clock), duplicates and missed instants.
 * - Failover: two scheduler processes with a 3 s lease TTL (DTSS_LEADER_TTL_MS=3000; the default
 *   is 10 s); from the leader's SIGKILL to the first run created by the new leader. Instants due
 *   during the takeover are caught up (catch-up all) and counted in duplicates/missed too.
 *
 * No workers run: runs stay queued with their first job enqueued; only the scheduler is measured.
 */
import os from 'node:os';
import { parseWorkflowText } from '@dtss/core';
import { createPool, createPrismaClient, createSchedule, saveWorkflowVersion } from '@dtss/db';
import { sleep } from './clock';
import { createDatabase, settle, withClient, type BenchServer } from './database';
import { isRunning, spawnNode, stopChild, type Child } from './processes';
import { percentile, round } from './stats';

export const SCHEDULER_BENCH = {
  schedules: 100,
  steadySeconds: 30,
  leaderTtlMs: 3_000,
  database: 'bench_scheduler',
};

export interface SchedulerBenchResult {
  cron_fire_delay_p50_ms: number;
  cron_fire_delay_p99_ms: number;
  cron_fire_delay_max_ms: number;
  cron_duplicates: number;
  cron_missed: number;
  failover_s: number;
  details: {
    schedules: number;
    steadySeconds: number;
    expectedFires: number;
    leaderTtlMs: number;
    fireConcurrency: string;
    /** Instants with no run, per phase. */
    missedSteady: number;
    missedOverall: number;
    runsTotal: number;
    /** Lease lost → new lease acquired (s), from the leases table. */
    takeoverS: number;
    /** 1-minute load average before and after: a busy machine stretches every burst. */
    loadAverage: { atStart: number; atEnd: number };
  };
}

const SCHEDULER_MAIN = 'apps/worker/src/scheduler/main.ts';

export async function runSchedulerBench(
  server: BenchServer,
  log: (line: string) => void,
): Promise<SchedulerBenchResult> {
  const cfg = SCHEDULER_BENCH;
  const loadAtStart = os.loadavg()[0]!;
  const url = await createDatabase(server, cfg.database);
  // Sub-millisecond created_at, as the DTSS scenarios do for task times.
  await withClient(url, (c) =>
    c.query('ALTER TABLE workflow_runs ALTER COLUMN created_at TYPE timestamptz(6)'),
  );
  const pool = createPool(url, { applicationName: 'bench-scheduler', max: 4 });
  const prisma = createPrismaClient(url, { pool });
  const children: Child[] = [];
  try {
    const team = await prisma.team.create({ data: { slug: 'bench', name: 'bench' } });
    log(`scheduler: creating ${cfg.schedules} workflows with a per-second schedule each`);
    const workflowIds: string[] = [];
    for (let i = 0; i < cfg.schedules; i++) {
      const parsed = parseWorkflowText(`name: tick-${i}\ntasks:\n  a: { kind: noop }\n`, {
        format: 'yaml',
      });
      if (!parsed.ok) throw new Error('bench workflow does not validate');
      const saved = await saveWorkflowVersion(prisma, {
        teamId: team.id,
        definition: parsed.workflow,
      });
      workflowIds.push(saved.workflowId);
    }
    await settle(url);
    const env = {
      DATABASE_URL: url,
      DTSS_LEADER_TTL_MS: String(cfg.leaderTtlMs),
      DTSS_HOUSEKEEPING_MS: '60000',
    };
    for (const name of ['scheduler-1', 'scheduler-2']) {
      children.push(spawnNode(name, SCHEDULER_MAIN, [], env));
    }
    const first = await waitForLeader(pool, null);
    const leader = children.find((c) => c.process.pid === first.pid);
    if (!leader) throw new Error(`the leader (pid ${first.pid}) is not one of ours`);

    for (const workflowId of workflowIds) {
      await createSchedule(pool, {
        teamId: team.id,
        workflowId,
        name: 'every-second',
        cron: '* * * * * *',
        overlapPolicy: 'allow_all',
        catchupPolicy: 'all',
      });
    }
    // Measure whole seconds from 2 s after the last schedule exists.
    const steadyFrom = Math.ceil(Date.now() / 1000) + 2;
    const steadyTo = steadyFrom + cfg.steadySeconds - 1;
    log(`scheduler: steady state for ${cfg.steadySeconds} s (leader pid ${first.pid})`);
    await sleep((steadyTo + 1) * 1000 - Date.now() + 500);
    for (const c of children)
      if (!isRunning(c)) throw new Error(`${c.name} died:\n${c.tail.join('\n')}`);

    const steady = await fireStats(pool, steadyFrom, steadyTo);

    log('scheduler: SIGKILL of the leader');
    leader.process.kill('SIGKILL');
    const killedAt = await dbNow(pool);
    const second = await waitForLeader(pool, first.pid);
    const firstRunAfter = await waitFor(async () => {
      const { rows } = await pool.query<{ t: Date | null }>(
        `SELECT min(created_at) AS t FROM workflow_runs WHERE created_at > $1`,
        [killedAt],
      );
      return rows[0]!.t;
    }, 30_000);
    const failoverS = (firstRunAfter.getTime() - killedAt.getTime()) / 1000;
    // Let the new leader catch up and run a few seconds, then count everything.
    const overallTo = Math.floor(Date.now() / 1000) + 3;
    await sleep((overallTo + 1) * 1000 - Date.now() + 500);
    const overall = await fireStats(pool, steadyFrom, overallTo);

    return {
      cron_fire_delay_p50_ms: round(percentile(steady.delays, 50)),
      cron_fire_delay_p99_ms: round(percentile(steady.delays, 99)),
      cron_fire_delay_max_ms: round(Math.max(...steady.delays)),
      cron_duplicates: overall.duplicates,
      cron_missed: overall.missed,
      failover_s: round(failoverS),
      details: {
        schedules: cfg.schedules,
        steadySeconds: cfg.steadySeconds,
        expectedFires: steady.expected,
        leaderTtlMs: cfg.leaderTtlMs,
        fireConcurrency: process.env.DTSS_SCHEDULER_CONCURRENCY ?? '8 (default)',
        missedSteady: steady.missed,
        missedOverall: overall.missed,
        runsTotal: overall.runs,
        takeoverS: round((second.acquiredAt.getTime() - killedAt.getTime()) / 1000),
        loadAverage: { atStart: round(loadAtStart), atEnd: round(os.loadavg()[0]!) },
      },
    };
  } finally {
    await Promise.all(children.map((c) => stopChild(c)));
    await prisma.$disconnect().catch(() => {});
    await pool.end().catch(() => {});
  }
}

type Pool = ReturnType<typeof createPool>;

async function fireStats(pool: Pool, fromSecond: number, toSecond: number) {
  const { rows } = await pool.query<{
    schedule_id: string;
    second: string;
    n: number;
    delay_ms: number[];
  }>(
    `SELECT schedule_id, extract(epoch FROM logical_date)::bigint AS second, count(*)::int AS n,
            array_agg(extract(epoch FROM created_at - logical_date) * 1000)::float8[] AS delay_ms
       FROM workflow_runs
      WHERE trigger_kind = 'schedule'
        AND logical_date BETWEEN to_timestamp($1) AND to_timestamp($2)
      GROUP BY 1, 2`,
    [fromSecond, toSecond],
  );
  const { rows: sched } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM schedules`,
  );
  const expected = sched[0]!.n * (toSecond - fromSecond + 1);
  return {
    expected,
    runs: rows.reduce((a, r) => a + r.n, 0),
    duplicates: rows.reduce((a, r) => a + (r.n - 1), 0),
    missed: expected - rows.length,
    delays: rows.flatMap((r) => r.delay_ms),
  };
}

async function dbNow(pool: Pool): Promise<Date> {
  const { rows } = await pool.query<{ t: Date }>('SELECT clock_timestamp() AS t');
  return rows[0]!.t;
}

async function waitForLeader(pool: Pool, notPid: number | null) {
  return waitFor(async () => {
    const { rows } = await pool.query<{ holder_id: string; acquired_at: Date }>(
      `SELECT holder_id, acquired_at FROM leases WHERE name = 'scheduler' AND expires_at > now()`,
    );
    const pid = rows[0] ? Number(rows[0].holder_id.split(':')[1]) : null;
    return pid && pid !== notPid ? { pid, acquiredAt: rows[0]!.acquired_at } : null;
  }, 30_000);
}

async function waitFor<T>(probe: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`scheduler bench: timed out after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** The scheduler's rows of the table printed at the end. */
export function formatSchedulerTable(r: SchedulerBenchResult): string {
  const rows: [string, string, string, boolean][] = [
    ['cron fire delay p50 (ms)', String(r.cron_fire_delay_p50_ms), '—', true],
    [
      'cron fire delay p99 (ms)',
      String(r.cron_fire_delay_p99_ms),
      '≤ 100',
      r.cron_fire_delay_p99_ms <= 100,
    ],
    ['cron duplicates', String(r.cron_duplicates), '0', r.cron_duplicates === 0],
    ['cron missed', String(r.cron_missed), '0', r.cron_missed === 0],
    [
      `failover, TTL ${r.details.leaderTtlMs / 1000} s (s)`,
      String(r.failover_s),
      '≤ 10',
      r.failover_s <= 10,
    ],
  ];
  const lines = [
    `| scheduler (${r.details.schedules} schedules × every second) | value | target | pass |`,
    '| --- | ---: | --- | --- |',
    ...rows.map(
      ([m, v, t, ok]) => `| ${m} | ${v} | ${t} | ${t === '—' ? '' : ok ? 'PASS' : '**FAIL**'} |`,
    ),
  ];
  return lines.join('\n');
}
