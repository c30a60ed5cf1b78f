'use client';
import type { AppRouter } from '@dtss/api';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status';
import { dateTime, durationMs, relativeTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { elapsedMs, isActiveRun, words } from './runFormat';
import { RunsBulkActions } from './RunsBulkActions';
import { headerCheck, toggleAll, toggleOne } from './runsBulk';
import { RunsFilterForm } from './RunsFilterForm';
import {
  filterKey,
  frozenFilterInput,
  isFiltered,
  readRunFilters,
  toFilterInput,
} from './runFilters';
import { patchPages, runsToFollow, type StreamEffect } from './runsLive';
import { useRunsStream } from './useRunsStream';

const PAGE_SIZE = 50;
/** Counts and timings are re-read at most this often while runs change. */
const REFETCH_EVERY_MS = 1_000;

type RunRow = inferRouterOutputs<AppRouter>['runs']['list']['items'][number];

/** "now", ticking each second while `ticking` (active runs' durations grow on screen). */
function useNow(ticking: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(t);
  }, [ticking]);
  // Not ticking: whenever the list renders (relative start times stay right).
  return ticking ? now : Date.now();
}

/**
 * The team's runs, newest first: filters kept in the URL, "Load more" pages, rows kept live by one
 * multi-run stream, and bulk cancel / rerun of selected runs or of every run matching the filter.
 */
export function RunsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const team = useTeam();
  const href = useTeamHref();
  const canAct = useCan('editor');
  const params = useSearchParams();
  const filters = useMemo(() => readRunFilters(params), [params]);
  const fKey = filterKey(filters);

  // A preset range counts back from when it was chosen: the query stays put while the page is open.
  const [anchor, setAnchor] = useState(() => ({ key: fKey, at: Date.now() }));
  if (anchor.key !== fKey) setAnchor({ key: fKey, at: Date.now() });
  const anchorAt = anchor.at;

  const input = {
    teamSlug: team.slug,
    ...toFilterInput(filters, anchorAt),
    limit: PAGE_SIZE,
  };
  const listKey = trpc.runs.list.infiniteQueryKey(input);
  const list = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor,
    }),
  );
  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);
  const filtered = isFiltered(filters);

  // ── Live rows ────────────────────────────────────────────────────────────────────────────────
  const listKeyRef = useRef(listKey);
  useEffect(() => {
    listKeyRef.current = listKey;
  });
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (refetchTimer.current) clearTimeout(refetchTimer.current);
    },
    [],
  );
  const onStreamEffect = useCallback(
    (effect: StreamEffect) => {
      if (effect.patches.length) {
        queryClient.setQueryData(listKeyRef.current, (old) => {
          if (!old) return old;
          const pages = patchPages(old.pages, effect.patches);
          return pages === old.pages ? old : { ...old, pages };
        });
      }
      // Status events carry no counts or timings: the shown pages are read again, at most once a
      // second while runs change, never while they idle.
      if (effect.refetch && !refetchTimer.current) {
        refetchTimer.current = setTimeout(() => {
          refetchTimer.current = null;
          void queryClient.invalidateQueries({ queryKey: listKeyRef.current, exact: true });
        }, REFETCH_EVERY_MS);
      }
    },
    [queryClient],
  );
  const followed = useMemo(() => runsToFollow(items), [items]);
  useRunsStream(followed, onStreamEffect);
  const now = useNow(followed.length > 0);

  // ── Selection (of the rows shown; a new filter starts a new selection) ──────────────────────
  const [selection, setSelection] = useState(() => ({ key: fKey, ids: new Set<string>() }));
  const selectedIds = useMemo(
    () => (selection.key === fKey ? selection.ids : new Set<string>()),
    [selection, fKey],
  );
  const rowIds = useMemo(() => items.map((r) => r.id), [items]);
  const selectedRows = useMemo(
    () => items.filter((r) => selectedIds.has(r.id)),
    [items, selectedIds],
  );
  const select = (ids: Set<string>) => setSelection({ key: fKey, ids });
  const all = headerCheck(rowIds, selectedIds);
  const noRole = `Your role is ${team.role}: cancelling and rerunning runs needs the editor role.`;

  return (
    <PageBody>
      <PageHeader title="Runs" subtitle="Every run of the team, newest first, kept up to date." />
      <RunsFilterForm filters={filters} />

      {list.isPending ? (
        <SkeletonRows />
      ) : !list.data ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          title={filtered ? 'No run matches' : 'No runs yet'}
          action={
            !filtered ? (
              <Link href={href('/workflows')} className="text-fg underline underline-offset-2">
                Go to the workflows
              </Link>
            ) : null
          }
        >
          {filtered
            ? 'The workflow filter takes an exact workflow name or id. Try another one, other statuses or trigger kinds, or a wider time range.'
            : 'Runs appear here when a workflow is started by hand, by a schedule, an event or the API.'}
        </EmptyState>
      ) : (
        <>
          {canAct ? (
            <RunsBulkActions
              teamSlug={team.slug}
              rows={items}
              selected={selectedRows}
              clearSelection={() => select(new Set())}
              frozenFilter={() => frozenFilterInput(filters, anchorAt, Date.now())}
              filterProblem={
                filters.rangeError ? `The time range is not valid: ${filters.rangeError}` : null
              }
            />
          ) : (
            <p id="runs-select-reason" className="mb-3 text-sm text-muted">
              {noRole}
            </p>
          )}
          <div className="overflow-x-auto rounded-lg border border-border bg-panel">
            <table className="w-full text-sm" data-testid="runs-table">
              <caption className="sr-only">Runs, newest first</caption>
              <thead className="border-b border-border text-left text-xs text-muted">
                <tr>
                  <th scope="col" className="w-10 py-2 pr-1 pl-4 font-medium">
                    <input
                      type="checkbox"
                      className="h-4 w-4 align-middle"
                      aria-label="Select all runs shown"
                      checked={all === 'all'}
                      ref={(el) => {
                        if (el) el.indeterminate = all === 'some';
                      }}
                      disabled={!canAct}
                      title={canAct ? undefined : noRole}
                      aria-describedby={canAct ? undefined : 'runs-select-reason'}
                      onChange={() => select(toggleAll(rowIds, selectedIds))}
                      data-testid="runs-select-all"
                    />
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Run
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Workflow
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Trigger
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Started
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Duration
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Tasks
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <RunRowView
                    key={r.id}
                    run={r}
                    now={now}
                    href={href}
                    selected={selectedIds.has(r.id)}
                    canAct={canAct}
                    noRole={noRole}
                    onSelect={(on) => select(toggleOne(selectedIds, r.id, on))}
                  />
                ))}
              </tbody>
            </table>
            {list.hasNextPage ? (
              <div className="border-t border-border p-2 text-center">
                <Button
                  size="sm"
                  onClick={() => void list.fetchNextPage()}
                  disabled={list.isFetchingNextPage}
                  data-testid="runs-load-more"
                >
                  {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
                </Button>
              </div>
            ) : null}
            {list.isError ? (
              <div className="border-t border-border p-2">
                <ErrorState
                  error={list.error}
                  retry={() =>
                    void (list.isFetchNextPageError ? list.fetchNextPage() : list.refetch())
                  }
                />
              </div>
            ) : null}
          </div>
        </>
      )}
    </PageBody>
  );
}

function RunRowView({
  run: r,
  now,
  href,
  selected,
  canAct,
  noRole,
  onSelect,
}: {
  run: RunRow;
  now: number;
  href: (path: string) => string;
  selected: boolean;
  canAct: boolean;
  noRole: string;
  onSelect: (on: boolean) => void;
}) {
  const ms = elapsedMs(r.startedAt, r.finishedAt, now);
  return (
    <tr
      className={`border-b border-border last:border-0 hover:bg-panel-2 ${selected ? 'bg-panel-2' : ''}`}
      data-run-id={r.id}
      data-status={r.status}
    >
      <td className="py-2.5 pr-1 pl-4">
        <input
          type="checkbox"
          className="h-4 w-4 align-middle"
          aria-label={`Select run #${r.number} of ${r.workflowName}`}
          checked={selected}
          disabled={!canAct}
          title={canAct ? undefined : noRole}
          aria-describedby={canAct ? undefined : 'runs-select-reason'}
          onChange={(e) => onSelect(e.target.checked)}
          data-testid="run-select"
        />
      </td>
      <td className="px-4 py-2.5">
        <Link
          href={href(`/runs/${r.id}`)}
          className="font-medium"
          aria-label={`Run #${r.number} of ${r.workflowName}`}
        >
          #{r.number}
        </Link>
      </td>
      <td className="px-4 py-2.5">
        <Link href={href(`/workflows/${encodeURIComponent(r.workflowName)}`)}>
          {r.workflowName}
        </Link>
        <span className="ml-1.5 text-xs text-muted">v{r.version}</span>
      </td>
      <td className="px-4 py-2.5" data-testid="run-row-status">
        <StatusBadge status={r.status} />
      </td>
      <td className="px-4 py-2.5 text-muted">{words(r.triggerKind)}</td>
      {/* One line each: a live time that wraps and unwraps as it changes moves the rows. */}
      <td
        className="px-4 py-2.5 whitespace-nowrap text-muted"
        title={
          r.startedAt ? dateTime(r.startedAt) : `Not started yet · created ${dateTime(r.createdAt)}`
        }
      >
        {r.startedAt ? relativeTime(r.startedAt, now) : 'not started'}
      </td>
      <td
        className="px-4 py-2.5 whitespace-nowrap text-muted tabular-nums"
        data-testid="run-row-duration"
      >
        {ms === null ? '—' : durationMs(ms)}
        {ms !== null && isActiveRun(r.status) ? <span className="text-xs"> so far</span> : null}
      </td>
      <td className="px-4 py-2.5 text-muted tabular-nums" data-testid="run-row-tasks">
        <span title={`${r.tasksDone} of ${r.tasksTotal} tasks ended`}>
          {r.tasksDone}/{r.tasksTotal}
        </span>
        {r.tasksFailed ? <span className="text-bad"> · {r.tasksFailed} failed</span> : null}
      </td>
    </tr>
  );
}
