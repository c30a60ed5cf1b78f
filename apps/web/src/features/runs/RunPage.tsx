'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Ban, RotateCcw } from 'lucide-react';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useDeferredValue, useMemo, useState, type ReactNode } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { RunAlerts } from '@/features/alerts/RunAlerts';
import { useCan, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Card, PageHeader } from '@/components/ui/page';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status';
import { dateTime, durationMs, relativeTime } from '@/lib/format';
import { replaceSearchParams } from '@/lib/searchParams';
import { useHydrated } from '@/lib/useHydrated';
import { useNow } from '@/lib/useNow';
import { useThrottled } from '@/lib/useThrottled';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { CompareButton } from './compare/CompareButton';
import { RunGraph } from './RunGraph';
import { runForecast, type GraphTasks } from './runForecast';
import { elapsedMs, isActiveRun, words } from './runFormat';
import { RunTasksTable } from './RunTasksTable';
import { TaskPanel, type TaskEnvNames } from './TaskPanel';
import { RunTimeline } from './timeline/RunTimeline';
import { useRunStream } from './useRunStream';

const GRAPH_EVERY_MS = 1_000;

type VersionTask = {
  needs?: string[];
  env?: Record<string, string>;
  secrets?: Record<string, string>;
};

/**
 * One run: its header, timings and the table of its tasks, live from the run stream; editors may
 * cancel it while active.
 */
export function RunPage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const href = useTeamHref();
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const router = useRouter();
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [rerunOpen, setRerunOpen] = useState(false);
  // The open task is kept in the URL (`?task=`), so a link (the runs grid, a colleague) opens it.
  const selected = useSearchParams().get('task');
  const setSelected = useCallback((key: string | null) => replaceSearchParams({ task: key }), []);
  const run = useQuery(trpc.runs.get.queryOptions({ runId }));
  const versionId = run.data?.versionId;
  const version = useQuery({
    ...trpc.versions.get.queryOptions({ versionId: versionId ?? '', withText: false }),
    enabled: Boolean(versionId),
    staleTime: Infinity, // a version never changes
  });
  const history = useQuery(trpc.runs.history.queryOptions({ runId }));
  const rerunFailed = useMutation(
    trpc.runs.rerun.mutationOptions({ onSuccess: (r) => router.push(href(`/runs/${r.id}`)) }),
  );
  // Live: the run stream writes into this query while the run is active (no polling).
  const active = run.data ? isActiveRun(run.data.status) : false;
  const liveStatuses = useRunStream(runId, active);
  const now = useNow(active);
  const graph = useMemo(
    () => (version.data?.definition.tasks ?? {}) as unknown as Record<string, VersionTask>,
    [version.data],
  );
  // The graph, timeline and table take a new run (a burst of stream events, the clock) in a
  // deferred render that yields to the browser: events keep being read and the nodes (which follow
  // the stream's statuses directly) keep turning while a 200-row page catches up in slices.
  const shownRun = useDeferredValue(run.data);
  const shownNow = useDeferredValue(now);
  const forecast = useMemo(
    () =>
      shownRun && version.data
        ? runForecast(shownRun, graph as GraphTasks, history.data?.tasks ?? {}, shownNow)
        : null,
    [shownRun, version.data, graph, history.data, shownNow],
  );
  const criticalPath = useMemo(() => forecast?.criticalPath ?? [], [forecast]);
  const criticalSet = useMemo(() => new Set(criticalPath), [criticalPath]);
  const layout = useMemo(
    () => (version.data?.layout as Record<string, { x: number; y: number }> | null) ?? {},
    [version.data],
  );
  // The graph's nodes follow the stream's statuses by themselves; the rest of what they show
  // (durations, attempts) is redrawn once a second: a React Flow update of 200 nodes and their
  // edges is the costliest render of the page, and it held the next stream event back.
  const graphView = useThrottled(
    useMemo(() => (shownRun ? { run: shownRun, now: shownNow } : null), [shownRun, shownNow]),
    GRAPH_EVERY_MS,
  );
  const openTask = useCallback((key: string | null) => key && setSelected(key), [setSelected]);
  // The page's data usually comes with the HTML (prefetched by the server page); its relative times
  // and live parts are drawn in the browser only.
  const hydrated = useHydrated();
  const cancel = useMutation(
    trpc.runs.cancel.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.runs.get.queryKey({ runId }) }),
          queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() }),
        ]),
    }),
  );

  if (run.isPending || !hydrated) {
    return (
      <PageBody>
        <div className="mb-5 h-8 w-64 animate-pulse rounded-md bg-panel-2" aria-hidden />
        <SkeletonRows rows={8} />
      </PageBody>
    );
  }
  if (run.isError) {
    return (
      <PageBody>
        <PageHeader title="Run" />
        <ErrorState error={run.error} retry={() => void run.refetch()} />
      </PageBody>
    );
  }

  const r = run.data;
  const shown = shownRun ?? r;
  const graphRun = graphView?.run ?? shown;
  const graphNow = graphView?.now ?? shownNow;
  const ms = elapsedMs(r.startedAt, r.finishedAt, now);
  const cancelAccepted = cancel.data?.accepted === true;
  const selectedTask = selected ? r.tasks.find((t) => t.key === selected) : undefined;
  const hasFailedPart = r.tasks.some((t) => t.status !== 'succeeded');
  const envNames = (key: string): TaskEnvNames => ({
    env: Object.keys(graph[key]?.env ?? {}).sort(),
    secrets: Object.keys(graph[key]?.secrets ?? {}).sort(),
  });

  return (
    <PageBody wide>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            <span data-testid="run-title">Run #{r.number}</span>
            <span data-testid="run-status">
              <StatusBadge status={r.status} />
            </span>
          </span>
        }
        subtitle={
          <span>
            {/* On the page background the accent colour is too faint (4.47:1): text colour. */}
            <Link
              href={href(`/workflows/${encodeURIComponent(r.workflowName)}`)}
              className="text-fg underline underline-offset-2"
            >
              {r.workflowName}
            </Link>{' '}
            · version {r.version} · {words(r.triggerKind)} trigger
          </span>
        }
        actions={
          <>
            <CompareButton runId={r.id} workflow={r.workflowName} />
            {canEdit && !active && hasFailedPart ? (
              <Button
                onClick={() => setRerunOpen(true)}
                disabled={rerunFailed.isPending}
                data-testid="rerun-failed"
              >
                <RotateCcw aria-hidden size={14} />
                {rerunFailed.isPending ? 'Starting…' : 'Rerun failed part'}
              </Button>
            ) : canEdit && active ? (
              <Button
                variant="danger"
                onClick={() => setConfirmOpen(true)}
                disabled={cancel.isPending || cancelAccepted}
                title={cancelAccepted ? 'Cancellation requested' : undefined}
                data-testid="cancel-run"
              >
                <Ban aria-hidden size={14} />
                {cancel.isPending ? 'Cancelling…' : cancelAccepted ? 'Cancelling' : 'Cancel run'}
              </Button>
            ) : null}
          </>
        }
      />

      <div role="status" aria-live="polite" className="empty:hidden mb-4 text-sm">
        {rerunFailed.isError ? (
          <span className="text-bad">Could not rerun: {errorMessage(rerunFailed.error)}</span>
        ) : cancel.isError ? (
          <span className="text-bad">Could not cancel: {errorMessage(cancel.error)}</span>
        ) : cancel.data ? (
          cancel.data.accepted ? (
            <span className="text-muted">
              Cancellation requested.
              {cancel.data.stopping
                ? ` ${cancel.data.stopping} running task${cancel.data.stopping === 1 ? ' is' : 's are'} being stopped; the run ends when ${cancel.data.stopping === 1 ? 'it stops' : 'they stop'}.`
                : ''}
            </span>
          ) : (
            <span className="text-muted">The run had already ended; nothing was cancelled.</span>
          )
        ) : null}
      </div>

      <div className="flex flex-col gap-4">
        <Card title="Details">
          <dl
            className="grid grid-cols-[repeat(auto-fill,minmax(180px,1fr))] gap-x-6 gap-y-3 text-sm"
            data-testid="run-details"
          >
            <Detail label="Trigger">{words(r.triggerKind)}</Detail>
            <Detail label="Logical date">{dateTime(r.logicalDate)}</Detail>
            <Detail label="Version">
              <Link
                href={href(`/workflows/${encodeURIComponent(r.workflowName)}?version=${r.version}`)}
                className="text-fg underline underline-offset-2"
              >
                v{r.version}
              </Link>
            </Detail>
            <Detail label="Created">
              <Time at={r.createdAt} now={now} />
            </Detail>
            <Detail label="Started">
              {r.startedAt ? <Time at={r.startedAt} now={now} /> : 'not yet'}
            </Detail>
            <Detail label="Finished">
              {r.finishedAt ? <Time at={r.finishedAt} now={now} /> : active ? 'not yet' : '—'}
            </Detail>
            <Detail label="Duration">
              {ms === null ? '—' : durationMs(ms)}
              {ms !== null && active ? <span className="text-muted"> so far</span> : null}
            </Detail>
          </dl>
          <ForecastLine
            active={active}
            forecast={forecast}
            basisRuns={history.data?.runs ?? null}
            now={now}
          />
          {r.error ? (
            <div className="mt-4 rounded-md border border-bad/40 px-3 py-2 text-sm">
              <div className="text-xs font-medium text-bad">Error</div>
              <div className="mt-0.5 break-words whitespace-pre-wrap" data-testid="run-error">
                {r.error}
              </div>
            </div>
          ) : null}
          {Object.keys(r.params).length ? (
            <details className="mt-4 text-sm">
              <summary className="cursor-pointer text-muted">
                Params ({Object.keys(r.params).length})
              </summary>
              <pre
                tabIndex={0}
                className="mt-2 max-h-64 overflow-auto rounded-md bg-panel-2 p-3 font-mono text-xs"
              >
                {JSON.stringify(r.params, null, 2)}
              </pre>
            </details>
          ) : null}
        </Card>

        <div
          className={
            selectedTask ? 'grid gap-4 xl:grid-cols-[minmax(0,1fr)_minmax(420px,560px)]' : ''
          }
        >
          <Card title="Graph" className="min-w-0">
            {/* Contained: a live repaint of the canvas never lays out or repaints the page around it. */}
            <div className="h-[460px] [contain:strict]">
              {version.isError ? (
                <ErrorState error={version.error} retry={() => void version.refetch()} />
              ) : version.data ? (
                <RunGraph
                  run={graphRun}
                  graph={graph as GraphTasks}
                  layout={layout}
                  critical={criticalPath}
                  liveStatuses={liveStatuses}
                  now={graphNow}
                  onSelect={openTask}
                />
              ) : (
                <SkeletonRows rows={6} />
              )}
            </div>
          </Card>
          {selectedTask ? (
            <TaskPanel
              run={r}
              task={selectedTask}
              envNames={envNames(selectedTask.key)}
              active={active}
              onClose={() => setSelected(null)}
            />
          ) : null}
        </div>

        <Card title="Timeline" className="min-w-0">
          <RunTimeline
            run={shown}
            now={shownNow}
            critical={criticalSet}
            selected={selected}
            onSelect={setSelected}
          />
        </Card>

        <Card title={`Tasks (${r.tasks.length})`}>
          <RunTasksTable run={shown} now={shownNow} onOpen={setSelected} />
        </Card>

        <RunAlerts runId={runId} />
      </div>

      <ConfirmDialog
        open={confirmOpen}
        onOpenChange={setConfirmOpen}
        title={`Cancel run #${r.number}?`}
        description="Tasks that have not started are cancelled at once; running tasks are stopped by their workers. Cleanup tasks (trigger rule “always”) still run."
        confirmLabel="Cancel run"
        danger
        onConfirm={() => cancel.mutate({ runId })}
      />
      <ConfirmDialog
        open={rerunOpen}
        onOpenChange={setRerunOpen}
        title={`Rerun the failed part of run #${r.number}?`}
        description="A new run of the same version and params runs every task that did not succeed, and everything downstream of them; tasks that succeeded keep their results."
        confirmLabel="Rerun"
        onConfirm={() => rerunFailed.mutate({ runId, mode: 'failed' })}
      />
    </PageBody>
  );
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="mt-0.5 truncate">{children}</dd>
    </div>
  );
}

/** Relative time with the absolute one as its title (and for screen readers, a <time>). */
function Time({ at, now }: { at: Date | string | null | undefined; now?: number }) {
  if (!at) return <>—</>;
  const d = new Date(at);
  return (
    <time dateTime={d.toISOString()} title={dateTime(d)}>
      {relativeTime(d, now)}
    </time>
  );
}

/** When the run ends (or ended), and the chain of tasks that decides it, with its basis. */
function ForecastLine({
  active,
  forecast,
  basisRuns,
  now,
}: {
  active: boolean;
  forecast: ReturnType<typeof runForecast> | null;
  basisRuns: number | null;
  now: number;
}) {
  if (!forecast || forecast.end === null) return null;
  const path = forecast.criticalPath;
  return (
    <div className="mt-4 text-sm" data-testid="run-forecast">
      {active ? (
        basisRuns ? (
          <p>
            <span className="font-medium">
              Ends {relativeTime(new Date(forecast.end), now)} (at{' '}
              {dateTime(new Date(forecast.end))})
            </span>{' '}
            <span className="text-muted">
              · estimated from the last {basisRuns} successful run{basisRuns === 1 ? '' : 's'}
              {forecast.unknown.length
                ? `; ${forecast.unknown.length} task${forecast.unknown.length === 1 ? ' has' : 's have'} no history, so it may end later`
                : ''}
            </span>
          </p>
        ) : basisRuns === 0 ? (
          <p className="text-muted">
            No estimate yet: the workflow has no successful run to learn from.
          </p>
        ) : null
      ) : null}
      {path.length ? (
        <p className="mt-1 text-muted">
          Critical path ({path.length} task{path.length === 1 ? '' : 's'}):{' '}
          <span className="font-mono text-xs text-fg" data-testid="critical-path">
            {path.length > 12
              ? `${path.slice(0, 5).join(' → ')} → … → ${path.slice(-5).join(' → ')}`
              : path.join(' → ')}
          </span>
        </p>
      ) : null}
    </div>
  );
}
