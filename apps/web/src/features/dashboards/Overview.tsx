'use client';
import { replaceSearchParams } from '@/lib/searchParams';
import { RUN_STATUSES, type RunStatus } from '@dtss/core';
import type { AppRouter } from '@dtss/api';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { RefreshCw } from 'lucide-react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Field, Select } from '@/components/ui/input';
import { Card, PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { StatusDot, statusLabel } from '@/components/ui/status';
import { dateTime, durationMs } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { StatTile } from './StatTile';

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

/** A first overview of the team: figures from `metrics.summary` (charts come later). */
export function Overview() {
  const trpc = useTRPC();
  const team = useTeam();
  const params = useSearchParams();
  const rawWindow = params.get('window');
  const windowKey: WindowKey = isWindow(rawWindow) ? rawWindow : '24h';
  const win = WINDOWS[windowKey];
  const [end, setEnd] = useState(windowEnd);

  const summary = useQuery(
    trpc.metrics.summary.queryOptions({
      teamSlug: team.slug,
      from: new Date(end - win.ms),
      to: new Date(end),
      bucket: win.bucket,
    }),
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
        <div role="status" aria-label="Loading" className="grid grid-cols-2 gap-3 md:grid-cols-4">
          {Array.from({ length: 8 }, (_, i) => (
            <div key={i} className="h-[86px] animate-pulse rounded-lg bg-panel-2" />
          ))}
        </div>
      ) : summary.isError ? (
        <ErrorState error={summary.error} retry={() => void summary.refetch()} />
      ) : (
        <Figures m={summary.data} windowLabel={win.label} />
      )}
    </PageBody>
  );
}

type Metrics = inferRouterOutputs<AppRouter>['metrics']['summary'];

function Figures({ m, windowLabel }: { m: Metrics; windowLabel: string }) {
  const href = useTeamHref();
  const byStatus = new Map<RunStatus, number>();
  for (const row of m.runsByStatus) {
    byStatus.set(row.status, (byStatus.get(row.status) ?? 0) + row.count);
  }
  const runsCreated = [...byStatus.values()].reduce((a, b) => a + b, 0);
  const tasks = m.taskThroughput.reduce(
    (acc, b) => ({
      succeeded: acc.succeeded + b.succeeded,
      failed: acc.failed + b.failed,
      total: acc.total + b.total,
    }),
    { succeeded: 0, failed: 0, total: 0 },
  );
  const failedRuns = (byStatus.get('failed') ?? 0) + (byStatus.get('timed_out') ?? 0);
  const quiet = runsCreated === 0 && m.endedRuns === 0 && tasks.total === 0;

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
            No run was created, and none ended, in the {windowLabel.toLowerCase()}. Pick a longer
            period, or start a run.
          </EmptyState>
        ) : (
          <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
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
              label="Runs created"
              testId="metric-runs-created"
              value={runsCreated}
              hint="by any trigger, in the period"
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
              hint="of those created: failed or timed out"
            />
          </div>
        )}
      </section>

      {!quiet ? (
        <section aria-labelledby="dash-status">
          <h2 id="dash-status" className="mb-2 text-sm">
            Runs created, by current status
          </h2>
          <ul className="flex flex-wrap gap-2" data-testid="metric-runs-by-status">
            {RUN_STATUSES.map((s) => (
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

      <section aria-labelledby="dash-now">
        <h2 id="dash-now" className="mb-2 text-sm">
          Right now
        </h2>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-5">
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

      {m.durations.length ? (
        <Card title="Run durations by workflow (runs that ended in the period)">
          <div className="-m-4 overflow-x-auto">
            <table className="w-full text-sm" data-testid="metric-durations">
              <caption className="sr-only">Run durations by workflow</caption>
              <thead className="border-b border-border text-left text-xs text-muted">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Workflow
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    Runs
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    Median
                  </th>
                  <th scope="col" className="px-4 py-2 text-right font-medium">
                    95th percentile
                  </th>
                </tr>
              </thead>
              <tbody>
                {m.durations.map((d) => (
                  <tr key={d.workflowId} className="border-b border-border last:border-0">
                    <td className="px-4 py-2">
                      <Link href={href(`/workflows/${encodeURIComponent(d.workflow)}`)}>
                        {d.workflow}
                      </Link>
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{d.runs}</td>
                    <td className="px-4 py-2 text-right text-muted tabular-nums">
                      {durationMs(d.p50Ms)}
                    </td>
                    <td className="px-4 py-2 text-right text-muted tabular-nums">
                      {durationMs(d.p95Ms)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      ) : null}
    </div>
  );
}
