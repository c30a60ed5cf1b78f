'use client';
import { replaceSearchParams } from '@/lib/searchParams';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Archive, Plus, Search, X } from 'lucide-react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button, ButtonLink } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusDot, Tag } from '@/components/ui/status';
import { DataTable } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';

/** The team's workflows: search and tag filter kept in the URL, newest runs as dots. */
export function WorkflowsList() {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const canEdit = useCan('editor');
  const params = useSearchParams();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const archived = params.get('archived') === '1';
  const [text, setText] = useState(q);
  const [toArchive, setToArchive] = useState<{ id: string; name: string } | null>(null);
  const queryClient = useQueryClient();

  // The search box writes the URL a moment after typing stops; the URL drives the query.
  useEffect(() => {
    if (text === q) return;
    const t = setTimeout(() => replaceSearchParams({ q: text }), 250);
    return () => clearTimeout(t);
  }, [text, q]);

  const input = {
    teamSlug: team.slug,
    search: q || undefined,
    tag: tag || undefined,
    includeArchived: archived,
    limit: 50,
  };
  const list = useInfiniteQuery(
    trpc.workflows.list.infiniteQueryOptions(input, {
      getNextPageParam: (page) => page.nextCursor,
    }),
  );
  const archive = useMutation(
    trpc.workflows.archive.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.workflows.list.pathKey() }),
    }),
  );
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <PageBody>
      <PageHeader
        title="Workflows"
        subtitle="Every workflow of the team, its latest runs and its next scheduled start."
        actions={
          canEdit ? (
            <ButtonLink variant="primary" href={href('/workflows/new')} data-testid="new-workflow">
              <Plus aria-hidden size={16} /> New workflow
            </ButtonLink>
          ) : null
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <div className="relative w-72">
          <Search aria-hidden size={14} className="absolute top-2.5 left-2.5 text-muted" />
          <Input
            aria-label="Search workflows"
            placeholder="Search name, description or tag"
            className="pl-8"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {tag ? (
          <Button
            size="sm"
            onClick={() => replaceSearchParams({ tag: null })}
            aria-label={`Remove tag filter ${tag}`}
          >
            tag: {tag} <X aria-hidden size={12} />
          </Button>
        ) : null}
        <label className="flex items-center gap-1.5 text-sm text-muted">
          <input
            type="checkbox"
            checked={archived}
            onChange={(e) => replaceSearchParams({ archived: e.target.checked ? '1' : null })}
          />
          Show archived
        </label>
      </div>

      {list.isPending ? (
        <SkeletonRows />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          title={q || tag ? 'No workflow matches' : 'No workflows yet'}
          action={
            q || tag ? (
              <Button
                onClick={() => {
                  setText('');
                  replaceSearchParams({ q: null, tag: null });
                }}
              >
                Show every workflow
              </Button>
            ) : canEdit ? (
              <ButtonLink href={href('/workflows/new')}>
                <Plus aria-hidden size={14} /> New workflow
              </ButtonLink>
            ) : null
          }
        >
          {q || tag ? (
            q && tag ? (
              'Try another search, or remove the tag filter.'
            ) : q ? (
              'Try another search.'
            ) : (
              'Remove the tag filter to see every workflow.'
            )
          ) : (
            <>
              Draw one in the editor, or apply a YAML file with <code>dtss apply -f</code>.
            </>
          )}
        </EmptyState>
      ) : (
        <div className="flex flex-col gap-3">
          <DataTable
            caption="Workflows of the team"
            testId="workflows-table"
            columns={[
              { label: 'Name' },
              { label: 'Recent runs' },
              { label: 'Last run' },
              { label: 'Next fire' },
              { label: 'Version' },
              { label: 'Actions', srOnly: true },
            ]}
          >
            {items.map((w) => (
              <tr key={w.id} className="border-b border-border last:border-0 hover:bg-panel-2">
                <td className="px-4 py-2.5">
                  <Link
                    href={href(`/workflows/${encodeURIComponent(w.name)}`)}
                    className="font-medium"
                  >
                    {w.name}
                  </Link>
                  {w.archivedAt ? <span className="ml-2 text-xs text-muted">archived</span> : null}
                  {w.paused ? <span className="ml-2 text-xs text-warn">paused</span> : null}
                  {w.description ? (
                    <div className="mt-0.5 max-w-md truncate text-xs text-muted">
                      {w.description}
                    </div>
                  ) : null}
                  {w.tags.length ? (
                    <div className="mt-1 flex flex-wrap gap-1">
                      {w.tags.map((t) => (
                        <button
                          key={t}
                          type="button"
                          onClick={() => replaceSearchParams({ tag: t })}
                          aria-label={`Filter by tag ${t}`}
                        >
                          <Tag>{t}</Tag>
                        </button>
                      ))}
                    </div>
                  ) : null}
                </td>
                <td className="px-4 py-2.5">
                  <div className="flex items-center gap-1" data-testid="recent-runs">
                    {w.recentRuns.length === 0 ? (
                      <span className="text-xs text-muted">none</span>
                    ) : (
                      [...w.recentRuns].reverse().map((r) => (
                        <Link
                          key={r.id}
                          href={href(`/runs/${r.id}`)}
                          aria-label={`Run #${r.number}: ${r.status}`}
                          title={`#${r.number} ${r.status} · ${dateTime(r.createdAt)}`}
                        >
                          <StatusDot status={r.status} />
                        </Link>
                      ))
                    )}
                  </div>
                </td>
                <td className="px-4 py-2.5 text-muted" title={dateTime(w.lastRun?.createdAt)}>
                  {w.lastRun ? relativeTime(w.lastRun.createdAt) : '—'}
                </td>
                <td className="px-4 py-2.5 text-muted" title={dateTime(w.nextFireAt)}>
                  {w.nextFireAt ? relativeTime(w.nextFireAt) : '—'}
                </td>
                <td className="px-4 py-2.5 text-muted">
                  {w.currentVersion ? `v${w.currentVersion}` : '—'}
                </td>
                <td className="px-4 py-2.5 text-right">
                  {canEdit && !w.archivedAt ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Archive ${w.name}`}
                      onClick={() => setToArchive({ id: w.id, name: w.name })}
                    >
                      <Archive aria-hidden size={14} />
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
          {list.hasNextPage ? (
            <div className="text-center">
              <Button
                size="sm"
                onClick={() => void list.fetchNextPage()}
                disabled={list.isFetchingNextPage}
              >
                {list.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            </div>
          ) : null}
        </div>
      )}
      <ConfirmDialog
        open={toArchive !== null}
        onOpenChange={(open) => !open && setToArchive(null)}
        title={`Archive ${toArchive?.name ?? ''}?`}
        description="Its schedules and event triggers stop starting runs. Its runs and versions are kept, and saving the workflow again restores it."
        confirmLabel="Archive"
        danger
        onConfirm={() => toArchive && archive.mutate({ workflowId: toArchive.id })}
      />
    </PageBody>
  );
}
