/**
 * The leader rolls closed hours of task figures up for the dashboards (metrics_task_hours): once a
 * minute, and batch after batch while it catches up (a first start on a long history).
 */
import { rollUpMetrics, type Pool } from '@dtss/db';

export function startMetricsRollup(
  pool: Pool,
  opts: { isLeader: () => boolean; intervalMs: number; log: (line: string) => void },
): () => void {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const next = (ms: number) => {
    if (!stopped) timer = setTimeout(tick, ms);
  };
  const tick = () => {
    if (!opts.isLeader()) return next(opts.intervalMs);
    rollUpMetrics(pool).then(
      (r) => {
        if (r.rolled) opts.log(`metrics rolled up to ${r.rolled.to.toISOString()}`);
        next(r.rolled ? 0 : opts.intervalMs);
      },
      (e: Error) => {
        opts.log(`metrics rollup: ${e.message}`);
        next(opts.intervalMs);
      },
    );
  };
  next(opts.intervalMs);
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
