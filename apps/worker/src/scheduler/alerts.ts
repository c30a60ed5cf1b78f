/**
 * The leader's alerts loop: every DTSS_ALERTS_MS (and soon after a run ends, when the run-events
 * listener says so) it evaluates every team's alert rules, then sends the due deliveries until none
 * is left. It runs on a small pool of its own, so slow channels or a long pass never hold
 * connections the schedule loop needs; its writes are fenced and deduplicated in the database, so
 * a leader change neither loses nor doubles an incident.
 */
import { parseSecretsKey, type LeaderFence, type Pool, type SecretsKey } from '@dtss/db';
import { deliverDue } from '../alerts/deliver';
import { AlertEvaluator } from '../alerts/evaluate';

export interface AlertsLoopOptions {
  isLeader: () => boolean;
  fence: () => LeaderFence | null;
  intervalMs: number;
  /** DTSS_SECRETS_KEY (base64); without it deliveries fail with that reason. */
  secretsKey: string | undefined;
  publicUrl: string | null;
  retryBaseMs: number;
  maxAttempts: number;
  timeoutMs: number;
  workerAliveMs: number;
  log: (line: string) => void;
}

export interface AlertsLoop {
  /** Evaluate soon (a run ended). */
  wake(): void;
  stop(): void;
}

export function startAlerts(pool: Pool, opts: AlertsLoopOptions): AlertsLoop {
  let key: SecretsKey | null = null;
  try {
    key = opts.secretsKey ? parseSecretsKey(opts.secretsKey) : null;
  } catch (err) {
    opts.log(`alerts: ${(err as Error).message}`);
  }
  let evaluator: AlertEvaluator | null = null;
  let term: bigint | undefined;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  let again = false;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
  };

  const pass = async () => {
    const fence = opts.fence();
    // A new term starts with a fresh look back over recent run ends.
    if (!evaluator || fence?.fencingToken !== term) {
      evaluator = new AlertEvaluator(pool, {
        publicUrl: opts.publicUrl,
        lookbackMs: 10 * 60_000,
        overlapMs: 30_000,
        workerAliveMs: opts.workerAliveMs,
      });
      term = fence?.fencingToken;
    }
    const result = await evaluator.pass(fence);
    if (result.opened || result.resolved)
      opts.log(`alerts: ${result.opened} incidents opened, ${result.resolved} resolved`);
    for (let round = 0; round < 50 && opts.isLeader(); round++) {
      const sent = await deliverDue(pool, {
        fence,
        key,
        maxAttempts: opts.maxAttempts,
        retryBaseMs: opts.retryBaseMs,
        timeoutMs: opts.timeoutMs,
        batch: 5,
      });
      if (sent === 0) break;
    }
  };

  const tick = () => {
    timer = null;
    if (stopped) return;
    if (!opts.isLeader()) {
      schedule(opts.intervalMs);
      return;
    }
    if (running) {
      again = true;
      return;
    }
    running = true;
    pass()
      .catch((err: Error) => opts.log(`alerts: ${err.message}`))
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          schedule(0);
        } else schedule(opts.intervalMs);
      });
  };
  schedule(opts.intervalMs);

  return {
    wake() {
      if (running) again = true;
      else schedule(50);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
