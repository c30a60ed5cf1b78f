'use client';
import { replaceSearchParams } from '@/lib/searchParams';
import type { RunStatus } from '@dtss/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useRef, useState } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status';
import { dateTime, durationMs, relativeTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { elapsedMs, isActiveRun, RUN_STATUSES, words } from './runFormat';

const PAGE_SIZE = 50;

function isRunStatus(s: string): s is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(s);
}

/** The team's runs, newest first: workflow and status filters kept in the URL, "Load more" pages. */
export function RunsList() {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const params = useSearchParams();
  const workflow = (params.get('workflow') ?? '').trim();
  const rawStatus = params.get('status') ?? '';
  const status = isRunStatus(rawStatus) ? rawStatus : null;
  const [text, setText] = useState(workflow);

  // Back/forward (or a link) changes the URL: the box follows it.
  const lastUrlWorkflow = useRef(workflow);
  useEffect(() => {
    if (lastUrlWorkflow.current !== workflow) {
      lastUrlWorkflow.current = workflow;
      setText(workflow);
    }
  }, [workflow]);

  // The workflow box writes the URL a moment after typing stops; the URL drives the query.
  useEffect(() => {
    const wanted = text.trim();
    if (wanted === workflow) return;
    const t = setTimeout(() => {
      lastUrlWorkflow.current = wanted;
      replaceSearchParams({ workflow: wanted || null });
    }, 300);
    return () => clearTimeout(t);
  }, [text, workflow]);

  const input = {
    teamSlug: team.slug,
    workflow: workflow || undefined,
    status: status ? [status] : undefined,
    limit: PAGE_SIZE,
  };
  const list = useInfiniteQuery(
    trpc.runs.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor,
    }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(workflow || status);
  const now = Date.now();

  return (
    <PageBody>
      <PageHeader title="Runs" subtitle="Every run of the team, newest first." />
      <form
        className="mb-4 flex flex-wrap items-end gap-3"
        role="search"
        aria-label="Filter runs"
        onSubmit={(e) => {
          e.preventDefault();
          const wanted = text.trim();
          lastUrlWorkflow.current = wanted;
          replaceSearchParams({ workflow: wanted || null });
        }}
      >
        <Field label="Workflow" className="w-64">
          {(a) => (
            <Input
              {...a}
              placeholder="Exact name or id"
              maxLength={200}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="runs-filter-workflow"
            />
          )}
        </Field>
        <Field label="Status" className="w-44">
          {(a) => (
            <Select
              {...a}
              value={status ?? ''}
              onChange={(e) => replaceSearchParams({ status: e.target.value || null })}
              data-testid="runs-filter-status"
            >
              <option value="">All statuses</option>
              {RUN_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {words(s)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        {filtered ? (
          <Button
            onClick={() => {
              lastUrlWorkflow.current = '';
              setText('');
              replaceSearchParams({ workflow: null, status: null });
            }}
          >
            Clear filters
          </Button>
        ) : null}
      </form>

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
            ? 'The workflow filter takes an exact workflow name or id. Try another one, or another status.'
            : 'Runs appear here when a workflow is started by hand, by a schedule, an event or the API.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-border bg-panel">
          <table className="w-full text-sm" data-testid="runs-table">
            <caption className="sr-only">Runs, newest first</caption>
            <thead className="border-b border-border text-left text-xs text-muted">
              <tr>
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
              {items.map((r) => {
                const ms = elapsedMs(r.startedAt, r.finishedAt, now);
                return (
                  <tr
                    key={r.id}
                    className="border-b border-border last:border-0 hover:bg-panel-2"
                    data-run-id={r.id}
                  >
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
                    <td className="px-4 py-2.5">
                      <StatusBadge status={r.status} />
                    </td>
                    <td className="px-4 py-2.5 text-muted">{words(r.triggerKind)}</td>
                    <td
                      className="px-4 py-2.5 text-muted"
                      title={
                        r.startedAt
                          ? dateTime(r.startedAt)
                          : `Not started yet · created ${dateTime(r.createdAt)}`
                      }
                    >
                      {r.startedAt ? relativeTime(r.startedAt, now) : 'not started'}
                    </td>
                    <td className="px-4 py-2.5 text-muted tabular-nums">
                      {ms === null ? '—' : durationMs(ms)}
                      {ms !== null && isActiveRun(r.status) ? (
                        <span className="text-xs"> so far</span>
                      ) : null}
                    </td>
                    <td className="px-4 py-2.5 text-muted tabular-nums">
                      <span title={`${r.tasksDone} of ${r.tasksTotal} tasks ended`}>
                        {r.tasksDone}/{r.tasksTotal}
                      </span>
                      {r.tasksFailed ? (
                        <span className="text-bad"> · {r.tasksFailed} failed</span>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
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
      )}
    </PageBody>
  );
}
