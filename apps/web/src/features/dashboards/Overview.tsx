'use client';
import { replaceSearchParams } from '@/lib/searchParams';
import { isTerminal, RUN_STATUSES, runMachine, type RunStatus } from '@dtss/core';
import type { AppRouter } from '@dtss/api';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { RefreshCw } from 'lucide-react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Field, Select } from '@/components/ui/input';
import { Card, PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { StatusDot, statusLabel } from '@/components/ui/status';
import { dateTime, durationMs } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { DataTable } from '@/components/ui/table';
import type { StreamEffect } from '@/features/runs/runsLive';
import { useRunsStream } from '@/features/runs/useRunsStream';
import { CHART_HEIGHT, RunsChart, TasksChart } from './charts';
import { runsSeries, tasksSeries, type Bucket } from './series';
import { StatTile, StatTileSkeleton } from './StatTile';

const HOUR = 3_600_000;
/** The windows offered, each with a bucket the API accepts for its length. */
const WINDOWS = {
  '1h': { label: 'Last hour', ms: HOUR, bucket: 'minute' },
  '24h': { label: 'Last 24 hours', ms: 24 * HOUR, bucket: 'hour' },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * HOUR, bucket: 'hour' },
  '30d': { label: 'Last 30 days', ms: 30 * 24 * HOUR, bucket: 'day' },
} as const;
type WindowKey = keyof typeof WINDOWS;

function isWindow(s: string | null): s is WindowKey {
  return s !== null && Object.hasOwn(WINDOWS, s);
}

/** The end of the current minute: a stable query key that still covers everything until now. */
function windowEnd(): number {
  return Math.ceil((Date.now() + 1) / 60_000) * 60_000;
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(rate === 1 || rate === 0 ? 0 : 1)} %`;
}

/** A run that ends changes the figures: they are read again, at most this often. */
const REFRESH_AT_MOST_MS = 5_000;
/**
 * No stream tells of runs that start after the page opened: the newest runs are looked at this
 * often, the active ones among them are followed like the others, and one that already ended in
 * between refreshes the figures.
 */
const NEW_RUNS_EVERY_MS = 10_000;

/**
 * The team's overview: figures and charts from `metrics.summary` over a period kept in the URL.
 * Live: the running runs are followed through the runs stream, and the figures are read again
 * (the period's end moved to now) a moment after one of them ends.
 */
export function Overview() {
  const trpc = useTRPC();
  const team = useTeam();
  const params = useSearchParams();
  const rawWindow = params.get('window');
  const windowKey: WindowKey = isWindow(rawWindow) ? rawWindow : '24h';
  const win = WINDOWS[windowKey];
  const [end, setEnd] = useState(windowEnd);

  const summary = useQuery({
    ...trpc.metrics.summary.queryOptions({
      teamSlug: team.slug,
      from: new Date(end - win.ms),
      to: new Date(end),
      bucket: win.bucket,
    }),
    // A refresh (a run ended, the button) keeps the figures in place until the new ones arrive.
    placeholderData: keepPreviousData,
  });

  const newest = useQuery({
    ...trpc.runs.list.queryOptions({ teamSlug: team.slug, limit: 20 }),
    refetchInterval: NEW_RUNS_EVERY_MS,
  });
  // Follow the running runs; when one ends, move the period's end to now (a new query key, so
  // the figures are read again), at most every REFRESH_AT_MOST_MS.
  const runningIds = useMemo(() => {
    const ids = new Set(summary.data?.running.runs.map((r) => r.id) ?? []);
    for (const r of newest.data?.items ?? []) if (!isTerminal(runMachine, r.status)) ids.add(r.id);
    return [...ids];
  }, [summary.data, newest.data]);
  const lastRefresh = useRef(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshSoon = useCallback(() => {
    if (refreshTimer.current) return;
    const wait = Math.max(0, lastRefresh.current + REFRESH_AT_MOST_MS - Date.now());
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      lastRefresh.current = Date.now();
      setEnd(Date.now() + 1);
    }, wait);
  }, []);
  const onStreamEffect = useCallback(
    (effect: StreamEffect) => {
      if (effect.patches.some((p) => p.status && isTerminal(runMachine, p.status))) refreshSoon();
    },
    [refreshSoon],
  );
  useRunsStream(runningIds, onStreamEffect);
  // A run that started and ended between two looks, after the figures were read (less a second
  // for the read's own time), refreshes them.
  const readAt = summary.dataUpdatedAt;
  useEffect(() => {
    if (!readAt) return;
    const endedSince = (newest.data?.items ?? []).some(
      (r) => r.finishedAt && new Date(r.finishedAt).getTime() > readAt - 1_000,
    );
    if (endedSince) refreshSoon();
  }, [newest.data, readAt, refreshSoon]);
  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );

  function setWindow(key: string) {
    setEnd(windowEnd());
    replaceSearchParams({ window: key === '24h' ? null : key });
  }

  return (
    <PageBody>
      <PageHeader
        title="Dashboards"
        subtitle={
          summary.data ? (
            <>
              {win.label}:{' '}
              <time dateTime={summary.data.from.toISOString()}>{dateTime(summary.data.from)}</time>{' '}
              to <time dateTime={summary.data.to.toISOString()}>{dateTime(summary.data.to)}</time>
            </>
          ) : (
            win.label
          )
        }
        actions={
          <>
            <Field label="Period" className="w-40">
              {(a) => (
                <Select
                  {...a}
                  value={windowKey}
                  onChange={(e) => setWindow(e.target.value)}
                  data-testid="metrics-window"
                >
                  {(Object.keys(WINDOWS) as WindowKey[]).map((k) => (
                    <option key={k} value={k}>
                      {WINDOWS[k].label}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
            <Button
              className="self-end"
              aria-label="Refresh figures"
              title="Refresh"
              disabled={summary.isFetching}
              onClick={() => {
                const next = windowEnd();
                if (next === end) void summary.refetch();
                else setEnd(next);
              }}
            >
              <RefreshCw
                aria-hidden
                size={14}
                className={summary.isFetching ? 'animate-spin' : ''}
              />
            </Button>
          </>
        }
      />

      {summary.isPending ? (
        <OverviewSkeleton bucket={win.bucket} />
      ) : summary.isError ? (
        <ErrorState error={summary.error} retry={() => void summary.refetch()} />
      ) : (
        <Figures m={summary.data} windowLabel={win.label} spansDays={win.ms > 24 * HOUR} />
      )}
    </PageBody>
  );
}

/** The figures' places while the first figures load: the same sections at the same heights. */
function OverviewSkeleton({ bucket }: { bucket: Bucket }) {
  return (
    <div role="status" aria-label="Loading" className="flex flex-col gap-6">
      <section>
        <h2 className="mb-2 text-sm">Runs</h2>
        <div className={RUN_TILES_GRID}>
          {Array.from({ length: 5 }, (_, i) => (
            <StatTileSkeleton key={i} />
          ))}
        </div>
      </section>
      <section>
        <h2 className="mb-2 text-sm">{STATUS_LIST_HEADING}</h2>
        <div aria-hidden className="h-[34px] w-96 animate-pulse rounded-md bg-panel-2" />
      </section>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={runsChartTitle(bucket)}>
          <div
            aria-hidden
            className="animate-pulse rounded-md bg-panel-2"
            style={{ height: CHART_HEIGHT }}
          />
        </Card>
        <Card title={tasksChartTitle(bucket)}>
          <div
            aria-hidden
            className="animate-pulse rounded-md bg-panel-2"
            style={{ height: CHART_HEIGHT }}
          />
        </Card>
      </div>
      <section>
        <h2 className="mb-2 text-sm">Right now</h2>
        <div className={NOW_TILES_GRID}>
          {Array.from({ length: 5 }, (_, i) => (
            <StatTileSkeleton key={i} />
          ))}
        </div>
      </section>
    </div>
  );
}

const RUN_TILES_GRID = 'grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-5';
const NOW_TILES_GRID = 'grid grid-cols-2 gap-3 md:grid-cols-5';
/** Over the totals per final status (the chart beside shows the same runs over time). */
const STATUS_LIST_HEADING = 'Final status of the runs that ended';
const runsChartTitle = (bucket: Bucket) => `Runs ended per ${bucket}, by final status`;
const tasksChartTitle = (bucket: Bucket) => `Tasks ended per ${bucket}, by outcome`;
/** Rows of the running runs' list kept in view: the card's height does not follow their number. */
const RUNNING_SHOWN = 10;

type Metrics = inferRouterOutputs<AppRouter>['metrics']['summary'];

const POOL_COLUMNS = [
  { label: 'Pool' },
  { label: 'Started', numeric: true },
  { label: 'Wait (median)', numeric: true },
  { label: 'Wait (95th pct.)', numeric: true },
  { label: 'Waiting now', numeric: true },
];
const DURATION_COLUMNS = [
  { label: 'Workflow' },
  { label: 'Runs', numeric: true },
  { label: 'Median', numeric: true },
  { label: '95th percentile', numeric: true },
  { label: '99th percentile', numeric: true },
];
const FAILING_COLUMNS = [
  { label: 'Workflow' },
  { label: 'Failed', numeric: true },
  { label: 'Ended', numeric: true },
  { label: 'Failure rate', numeric: true },
];

function Figures({
  m,
  windowLabel,
  spansDays,
}: {
  m: Metrics;
  windowLabel: string;
  spansDays: boolean;
}) {
  const href = useTeamHref();
  const byStatus = new Map<RunStatus, number>();
  for (const row of m.runsByStatus) {
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + row.count);
  }
  const runsEnded = [...byStatus.values()].reduce((a, b) => a + b, 0);
  const tasks = m.taskThroughput.reduce(
    (acc, b) => ({
      succeeded: acc.succeeded + b.succeeded,
      failed: acc.failed + b.failed,
      total: acc.total + b.total,
    }),
    { succeeded: 0, failed: 0, total: 0 },
  );
  const failedRuns = (byStatus.get('failed') ?? 0) + (byStatus.get('timed_out') ?? 0);
  const runs = runsSeries(m.runsByStatus, m.from, m.to, m.bucket, RUN_STATUSES);
  const taskPoints = tasksSeries(m.taskThroughput, m.from, m.to, m.bucket);
  // Slowest first: the 95th percentile is what a team waits for on a bad day.
  const slowest = [...m.durations].sort((a, b) => b.p95Ms - a.p95Ms);
  const quiet = runsEnded === 0 && m.running.total === 0 && tasks.total === 0;

  return (
    <div className="flex flex-col gap-6" data-testid="metrics-overview">
      <section aria-labelledby="dash-runs">
        <h2 id="dash-runs" className="mb-2 text-sm">
          Runs
        </h2>
        {quiet ? (
          <EmptyState
            title="No runs in this period"
            action={
              <Link href={href('/workflows')} className="text-fg underline underline-offset-2">
                Go to the workflows
              </Link>
            }
          >
            No run ended, and none is running, in the {windowLabel.toLowerCase()}. Pick a longer
            period, or start a run.
          </EmptyState>
        ) : (
          <div className={RUN_TILES_GRID}>
            <StatTile
              label="Success rate"
              testId="metric-success-rate"
              value={m.successRate === null ? '—' : percent(m.successRate)}
              tone={m.successRate === null ? 'muted' : 'default'}
              hint={
                m.endedRuns
                  ? `of ${m.endedRuns} run${m.endedRuns === 1 ? '' : 's'} that ended`
                  : 'no run ended'
              }
            />
            <StatTile
              label="Runs ended"
              testId="metric-runs-ended"
              value={runsEnded}
              hint={`in the period; ${m.running.total} running now`}
            />
            <StatTile
              label="Tasks ended"
              testId="metric-tasks-ended"
              value={tasks.total}
              hint={`${tasks.succeeded} succeeded · ${tasks.failed} failed or timed out`}
            />
            <StatTile
              label="Failed runs"
              testId="metric-runs-failed"
              value={failedRuns}
              tone={failedRuns ? 'bad' : 'default'}
              hint="failed or timed out, of the runs that ended"
            />
            <StatTile
              label="Retries"
              testId="metric-retries"
              value={m.attempts.retries}
              tone={m.attempts.retries ? 'warn' : 'default'}
              hint={`of ${m.attempts.total} attempt${m.attempts.total === 1 ? '' : 's'} started`}
            />
          </div>
        )}
      </section>

      {!quiet ? (
        <section aria-labelledby="dash-status">
          <h2 id="dash-status" className="mb-2 text-sm">
            {STATUS_LIST_HEADING}
          </h2>
          <ul className="flex flex-wrap gap-2" data-testid="metric-runs-by-status">
            {RUN_STATUSES.filter((s) => isTerminal(runMachine, s)).map((s) => (
              <li
                key={s}
                className="flex items-center gap-2 rounded-md border border-border bg-panel px-3 py-1.5 text-sm"
                data-status={s}
              >
                <span aria-hidden>
                  <StatusDot status={s} />
                </span>
                <span className="text-muted">{statusLabel(s)}</span>
                <span className="font-semibold tabular-nums">{byStatus.get(s) ?? 0}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {!quiet ? (
        <div className="grid gap-4 lg:grid-cols-2">
          <Card title={runsChartTitle(m.bucket)} testId="card-runs-chart">
            <RunsChart
              points={runs.points}
              statuses={runs.statuses}
              bucket={m.bucket}
              spansDays={spansDays}
            />
          </Card>
          <Card title={tasksChartTitle(m.bucket)} testId="card-tasks-chart">
            <TasksChart points={taskPoints} bucket={m.bucket} spansDays={spansDays} />
          </Card>
        </div>
      ) : null}

      <section aria-labelledby="dash-now">
        <h2 id="dash-now" className="mb-2 text-sm">
          Right now
        </h2>
        <div className={NOW_TILES_GRID}>
          <StatTile
            label="Running tasks"
            testId="metric-running-tasks"
            value={m.queueDepth.runningTasks}
            tone={m.queueDepth.runningTasks ? 'info' : 'default'}
          />
          <StatTile
            label="Queued tasks"
            testId="metric-queued-tasks"
            value={m.queueDepth.queuedTasks}
            hint="waiting for a worker"
          />
          <StatTile
            label="Tasks waiting to retry"
            testId="metric-retry-tasks"
            value={m.queueDepth.retryWaitTasks}
            tone={m.queueDepth.retryWaitTasks ? 'warn' : 'default'}
          />
          <StatTile
            label="Queued runs"
            testId="metric-queued-runs"
            value={m.queueDepth.queuedRuns}
            hint="waiting for a run slot"
          />
          <StatTile
            label="Workers online"
            testId="metric-workers-online"
            value={m.workersOnline}
            tone={m.workersOnline ? 'ok' : 'bad'}
            hint={<Link href={href('/workers')}>all workers of the cluster</Link>}
          />
        </div>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <Card
          title={`Running now (${m.running.total})`}
          actions={
            m.running.total > RUNNING_SHOWN ? (
              <Link href={href('/runs?status=running')} className="text-xs text-fg underline">
                All {m.running.total}
              </Link>
            ) : null
          }
        >
          {/* A fixed height: runs that start or end while the page is open move nothing below. */}
          <div className="-my-1 h-[168px] overflow-y-auto">
            {m.running.runs.length ? (
              <ul className="flex flex-col text-sm" data-testid="metric-running-runs">
                {m.running.runs.slice(0, RUNNING_SHOWN).map((r) => (
                  <li key={r.id} className="flex h-7 items-center gap-2">
                    <StatusDot status="running" />
                    <Link
                      href={href(`/runs/${r.id}`)}
                      className="min-w-0 truncate underline-offset-2 hover:underline"
                    >
                      {r.workflow} #{r.number}
                    </Link>
                    <span className="ml-auto shrink-0 text-xs text-muted tabular-nums">
                      {r.startedAt ? `started ${dateTime(r.startedAt)}` : 'starting'}
                    </span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="py-1 text-sm text-muted">No run is running.</p>
            )}
          </div>
        </Card>

        <Card title="Pools (tasks that started in the period)">
          {m.pools.length ? (
            <DataTable
              caption="Queue wait per pool"
              columns={POOL_COLUMNS}
              testId="metric-pools"
              framed={false}
            >
              {m.pools.map((p) => (
                <tr
                  key={p.pool}
                  className="border-b border-border last:border-0"
                  data-pool={p.pool}
                >
                  <th scope="row" className="px-4 py-2 text-left font-medium">
                    {p.pool}
                  </th>
                  <td className="px-4 py-2 text-right tabular-nums">{p.started}</td>
                  <td className="px-4 py-2 text-right text-muted tabular-nums">
                    {p.waitP50Ms === null ? '—' : durationMs(p.waitP50Ms)}
                  </td>
                  <td className="px-4 py-2 text-right text-muted tabular-nums">
                    {p.waitP95Ms === null ? '—' : durationMs(p.waitP95Ms)}
                  </td>
                  <td className="px-4 py-2 text-right tabular-nums">{p.waitingNow}</td>
                </tr>
              ))}
            </DataTable>
          ) : (
            <p className="text-sm text-muted">No task started in the period.</p>
          )}
        </Card>
      </div>

      {slowest.length ? (
        <Card title="Run durations by workflow, slowest first (runs that ended in the period)">
          <DataTable
            caption="Run durations by workflow"
            columns={DURATION_COLUMNS}
            testId="metric-durations"
            framed={false}
          >
            {slowest.map((d) => (
              <tr key={d.workflowId} className="border-b border-border last:border-0">
                <th scope="row" className="px-4 py-2 text-left font-normal">
                  <Link href={href(`/workflows/${encodeURIComponent(d.workflow)}`)}>
                    {d.workflow}
                  </Link>
                </th>
                <td className="px-4 py-2 text-right tabular-nums">{d.runs}</td>
                <td className="px-4 py-2 text-right text-muted tabular-nums">
                  {durationMs(d.p50Ms)}
                </td>
                <td className="px-4 py-2 text-right text-muted tabular-nums">
                  {durationMs(d.p95Ms)}
                </td>
                <td className="px-4 py-2 text-right text-muted tabular-nums">
                  {durationMs(d.p99Ms)}
                </td>
              </tr>
            ))}
          </DataTable>
        </Card>
      ) : null}

      {m.failing.length ? (
        <Card title="Most failing workflows (runs that ended in the period)">
          <DataTable
            caption="Workflows with failed runs"
            columns={FAILING_COLUMNS}
            testId="metric-failing"
            framed={false}
          >
            {m.failing.map((f) => (
              <tr key={f.workflowId} className="border-b border-border last:border-0">
                <th scope="row" className="px-4 py-2 text-left font-normal">
                  <Link
                    href={href(
                      `/runs?workflow=${encodeURIComponent(f.workflow)}&status=failed,timed_out`,
                    )}
                  >
                    {f.workflow}
                  </Link>
                </th>
                <td className="px-4 py-2 text-right text-bad tabular-nums">{f.failed}</td>
                <td className="px-4 py-2 text-right tabular-nums">{f.ended}</td>
                <td className="px-4 py-2 text-right text-muted tabular-nums">
                  {percent(f.failed / f.ended)}
                </td>
              </tr>
            ))}
          </DataTable>
        </Card>
      ) : null}
    </div>
  );
}
