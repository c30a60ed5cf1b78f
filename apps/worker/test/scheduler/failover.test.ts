/**
 * Leader failover with real processes: two schedulers, a schedule firing every second; the leader
 * is SIGKILLed; the other takes over within the lease TTL, and every second gets exactly one run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestbed, type SchedulerTestbed } from './harness';

const TTL_MS = 3_000;
/** Replaced within the TTL, plus room for a busy machine. */
const TAKEOVER_LIMIT_MS = TTL_MS + 4_000;
let bed: SchedulerTestbed;

beforeAll(async () => {
  bed = await startTestbed('failover');
  await bed.deploy(`
name: every-second
tasks:
  a: { kind: noop }
schedules:
  - { name: tick, cron: "* * * * * *", overlap: allow_all, catchup: all }
`);
});
afterAll(async () => {
  await bed?.stop();
});

async function logicalDates(): Promise<{ second: number; runs: number }[]> {
  const { rows } = await bed.pool.query<{ second: string; runs: number }>(
    `SELECT extract(epoch FROM logical_date)::bigint AS second, count(*)::int AS runs
       FROM workflow_runs WHERE trigger_kind = 'schedule' GROUP BY 1 ORDER BY 1`,
  );
  return rows.map((r) => ({ second: Number(r.second), runs: r.runs }));
}

describe('scheduler leader failover', () => {
  it('a SIGKILLed leader is replaced within the TTL; no second is run twice or missed', async () => {
    const env = { DTSS_LEADER_TTL_MS: String(TTL_MS) };
    bed.startScheduler(env);
    bed.startScheduler(env);
    const first = await eventually(() => bed.leader(), 20_000, 'a leader', bed.output);
    await eventually(
      async () => (await logicalDates()).length >= 3,
      15_000,
      'three fires by the first leader',
      bed.output,
    );

    const victim = bed.schedulers.find((s) => s.pid === first.pid)!;
    expect(victim).toBeDefined();
    victim.kill('SIGKILL');
    const killedAt = Date.now();
    const second = await eventually(
      async () => {
        const l = await bed.leader();
        return l && l.pid !== first.pid ? l : null;
      },
      TAKEOVER_LIMIT_MS + 2_000,
      'a new leader',
      bed.output,
    );
    const takeoverMs = Date.now() - killedAt;
    expect(second.fencingToken).toBe(first.fencingToken + 1n);
    // The lease outlives its holder by at most one TTL; the margin covers timers, polling and a
    // CPU shared with other tests (a margin of 1.5 s was missed by 10 ms once under load). The
    // takeover time itself is measured by `npm run bench -- scheduler`, not here.
    expect(takeoverMs).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);

    const killedSecond = Math.floor(killedAt / 1000);
    await eventually(
      async () => (await logicalDates()).some((d) => d.second >= killedSecond + 3),
      10_000,
      'fires by the new leader',
      bed.output,
    );
    const fired = await logicalDates();
    expect(fired.filter((d) => d.runs !== 1)).toEqual([]);
    // catchup: all — the seconds during the takeover were run late, none skipped.
    const seconds = fired.map((d) => d.second);
    const expected = Array.from(
      { length: seconds[seconds.length - 1]! - seconds[0]! + 1 },
      (_, i) => seconds[0]! + i,
    );
    expect(seconds).toEqual(expected);
    const { rows } = await bed.pool.query<{ n: number }>(
      `SELECT count(DISTINCT idempotency_key)::int AS n FROM workflow_runs WHERE trigger_kind = 'schedule'`,
    );
    expect(rows[0]!.n).toBe(seconds.length);
  });

  it('a frozen leader (SIGSTOP) is replaced, and when it wakes it steps down without doubling a fire', async () => {
    // The survivor of the first test leads; one more process joins as the follower.
    const frozen = (await bed.leader())!;
    const victim = bed.schedulers.find((s) => s.pid === frozen.pid)!;
    bed.startScheduler({ DTSS_LEADER_TTL_MS: String(TTL_MS) });
    await new Promise((r) => setTimeout(r, 1_000));
    process.kill(frozen.pid, 'SIGSTOP');
    const stoppedAt = Date.now();
    try {
      const next = await eventually(
        async () => {
          const l = await bed.leader();
          return l && l.pid !== frozen.pid ? l : null;
        },
        TAKEOVER_LIMIT_MS + 2_000,
        'a leader in place of the frozen one',
        bed.output,
      );
      expect(Date.now() - stoppedAt).toBeLessThanOrEqual(TAKEOVER_LIMIT_MS);
      expect(next.fencingToken).toBe(frozen.fencingToken + 1n);
    } finally {
      process.kill(frozen.pid, 'SIGCONT');
    }
    // Awake again, its renewal fails (the lease has a new holder and token): it stops leading.
    await eventually(
      async () => (victim.output().match(/lost the lead/g) ?? []).length > 0,
      TTL_MS + 5_000,
      'the woken leader to step down',
      bed.output,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await bed.leader())!.pid).not.toBe(frozen.pid);
    const fired = await logicalDates();
    expect(fired.filter((d) => d.runs !== 1)).toEqual([]);
    const seconds = fired.map((d) => d.second);
    expect(seconds[seconds.length - 1]! - seconds[0]! + 1).toBe(seconds.length);
  });
});
