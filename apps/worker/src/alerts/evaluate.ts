// One evaluation pass of every team's enabled alert rules, for the scheduler's leader. Run ends are
// read from a cursor per team (re-reading a short overlap: a run's end can commit after a later
// one's); everything else is a look at the present. Incidents open and resolve through
// IncidentWriter, whose statements dedupe and are fenced, so a pass can be repeated by any leader.
import {
  readEnabledAlertRules,
  readOpenIncidents,
  readPoolStats,
  type LeaderFence,
  type Pool,
  type PoolStatsRow,
} from '@dtss/db';
import { evaluateLostWorkers, evaluateStarvedPools } from './fleetRules';
import { IncidentWriter, type EvaluatedRule } from './incidents';
import { DurationCache, evaluateDeadlines, evaluateEndedRuns, evaluateRetries } from './runRules';

export interface EvaluateOptions {
  now?: () => Date;
  /** Link runs and the alerts page in messages (DTSS_PUBLIC_URL). */
  publicUrl: string | null;
  /** On a leader's first pass, run ends this far back are looked at (their incidents dedupe). */
  lookbackMs: number;
  /** Each pass re-reads run ends this far before its cursor. */
  overlapMs: number;
  /** A worker silent this long is not live (pool rules). */
  workerAliveMs: number;
}

export class AlertEvaluator {
  private readonly cursors = new Map<string, Date>();

  constructor(
    private readonly pool: Pool,
    private readonly opts: EvaluateOptions,
  ) {}

  /** One pass under the leader's current lease (null: unfenced, for tests and tools). */
  async pass(fence: LeaderFence | null): Promise<{ opened: number; resolved: number }> {
    const now = this.opts.now ?? (() => new Date());
    const rules = await readEnabledAlertRules(this.pool);
    const writer = new IncidentWriter(
      this.pool,
      fence,
      this.opts.publicUrl,
      now,
      await readOpenIncidents(
        this.pool,
        rules.map((r) => r.id),
      ),
    );
    let stats: Promise<PoolStatsRow[]> | null = null;
    const poolStats = () =>
      (stats ??= readPoolStats(this.pool, { aliveWithinMs: this.opts.workerAliveMs }));
    const teams = new Map<string, EvaluatedRule[]>();
    for (const rule of rules) teams.set(rule.teamId, [...(teams.get(rule.teamId) ?? []), rule]);
    for (const [teamId, teamRules] of teams) {
      const of = (...kinds: string[]) => teamRules.filter((r) => kinds.includes(r.kind));
      const durations = new DurationCache(this.pool);
      const cursor = this.cursors.get(teamId) ?? new Date(now().getTime() - this.opts.lookbackMs);
      const since = new Date(cursor.getTime() - this.opts.overlapMs);
      const latest = await evaluateEndedRuns(this.pool, writer, teamRules, since, durations);
      if (latest && latest > cursor) this.cursors.set(teamId, latest);
      else this.cursors.set(teamId, cursor);
      await evaluateDeadlines(this.pool, writer, of('deadline'), now(), durations);
      await evaluateRetries(this.pool, writer, of('task_retries'));
      await evaluateLostWorkers(this.pool, writer, of('worker_lost'));
      await evaluateStarvedPools(this.pool, writer, of('pool_starved'), poolStats);
    }
    return { opened: writer.opened, resolved: writer.resolved };
  }
}
