'use client';
import { compactWorkflow } from '@dtss/core';
import { useQuery } from '@tanstack/react-query';
import { Pencil, Play } from 'lucide-react';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button, ButtonLink } from '@/components/ui/button';
import { WorkflowCanvas, type CanvasTask } from '@/components/graph/WorkflowCanvas';
import { Card, PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusBadge, Tag } from '@/components/ui/status';
import { DataTable } from '@/components/ui/table';
import { edgesOf, type WorkflowDoc } from '@/features/editor/model';
import { dateTime, durationMs, relativeTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { RunDialog } from './RunDialog';
import { RunGridCard } from './grid/RunGrid';
import { VersionsCard } from './VersionsCard';

/** One workflow: its graph, versions and diffs, schedules and triggers, recent runs. */
export function WorkflowPage({ name }: { name: string }) {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const canEdit = useCan('editor');
  const [runOpen, setRunOpen] = useState(false);
  const wf = useQuery(trpc.workflows.get.queryOptions({ teamSlug: team.slug, workflow: name }));

  if (wf.isPending) {
    return (
      <PageBody>
        <SkeletonRows rows={8} />
      </PageBody>
    );
  }
  if (wf.isError) {
    return (
      <PageBody>
        <ErrorState error={wf.error} retry={() => void wf.refetch()} />
      </PageBody>
    );
  }
  const w = wf.data;
  const v = w.currentVersion;
  return (
    <PageBody wide>
      <PageHeader
        title={<span data-testid="workflow-title">{w.name}</span>}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            {w.description ?? 'No description.'}
            {w.tags.map((t) => (
              <Tag key={t}>{t}</Tag>
            ))}
            {v ? <span>· version {v.version}</span> : null}
            {w.archivedAt ? <span className="text-warn">· archived</span> : null}
          </span>
        }
        actions={
          <>
            <ButtonLink
              href={href(`/workflows/${encodeURIComponent(w.name)}/edit`)}
              data-testid="edit-workflow"
            >
              <Pencil aria-hidden size={14} /> {canEdit ? 'Edit' : 'View definition'}
            </ButtonLink>
            {canEdit && v ? (
              <Button variant="primary" onClick={() => setRunOpen(true)} data-testid="run-workflow">
                <Play aria-hidden size={14} /> Run
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4 xl:grid-cols-[minmax(0,1fr)_380px]">
        <div className="flex min-w-0 flex-col gap-4">
          <Card title="Graph">
            <div className="h-[420px]">
              {v ? (
                <ReadOnlyGraph
                  definition={v.definition}
                  layout={(v.layout as Record<string, { x: number; y: number }> | null) ?? {}}
                />
              ) : (
                <EmptyState title="No version yet" />
              )}
            </div>
          </Card>
          <RunGridCard workflowId={w.id} />
          <RecentRuns workflowId={w.id} />
        </div>
        <div className="flex min-w-0 flex-col gap-4">
          <SchedulesCard workflowId={w.id} />
          <VersionsCard workflowId={w.id} />
        </div>
      </div>
      {v ? (
        <RunDialog
          open={runOpen}
          onOpenChange={setRunOpen}
          workflow={w.name}
          params={v.definition.params}
        />
      ) : null}
    </PageBody>
  );
}

function ReadOnlyGraph({
  definition,
  layout,
}: {
  definition: Parameters<typeof compactWorkflow>[0];
  layout: Record<string, { x: number; y: number }>;
}) {
  const doc = useMemo(() => compactWorkflow(definition) as WorkflowDoc, [definition]);
  const tasks = useMemo(() => {
    const m = new Map<string, CanvasTask>();
    for (const [id, t] of Object.entries(doc.tasks) as [string, { kind?: unknown }][])
      m.set(id, { kind: String(t.kind), subtitle: String(t.kind) });
    return m;
  }, [doc]);
  const edges = useMemo(() => edgesOf(doc), [doc]);
  return (
    <WorkflowCanvas
      testId="workflow-graph"
      tasks={tasks}
      edges={edges}
      positions={layout}
      readOnly
    />
  );
}

function RecentRuns({ workflowId }: { workflowId: string }) {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const runs = useQuery(
    trpc.runs.list.queryOptions({ teamSlug: team.slug, workflow: workflowId, limit: 20 }),
  );
  return (
    <Card title="Recent runs">
      {runs.isPending ? (
        <SkeletonRows rows={4} />
      ) : runs.isError ? (
        <ErrorState error={runs.error} retry={() => void runs.refetch()} />
      ) : runs.data.items.length === 0 ? (
        <p className="text-sm text-muted">No runs yet.</p>
      ) : (
        <DataTable
          caption="Recent runs of the workflow, newest first"
          testId="recent-runs-table"
          framed={false}
          columns={[
            { label: 'Run' },
            { label: 'Status' },
            { label: 'Trigger' },
            { label: 'Started' },
            { label: 'Duration', numeric: true },
            { label: 'Tasks', numeric: true },
          ]}
        >
          {runs.data.items.map((r) => (
            <tr key={r.id} className="border-b border-border last:border-0">
              <td className="px-4 py-2">
                <Link href={href(`/runs/${r.id}`)}>#{r.number}</Link>{' '}
                <span className="text-xs text-muted">v{r.version}</span>
              </td>
              <td className="px-4 py-2">
                <StatusBadge status={r.status} />
              </td>
              <td className="px-4 py-2 text-muted">{r.triggerKind}</td>
              <td className="px-4 py-2 text-muted" title={dateTime(r.startedAt ?? r.createdAt)}>
                {relativeTime(r.startedAt ?? r.createdAt)}
              </td>
              <td className="px-4 py-2 text-right text-muted tabular-nums">
                {r.startedAt
                  ? durationMs(
                      (r.finishedAt ? new Date(r.finishedAt) : new Date()).getTime() -
                        new Date(r.startedAt).getTime(),
                    )
                  : '—'}
              </td>
              <td className="px-4 py-2 text-right text-muted tabular-nums">
                {r.tasksDone}/{r.tasksTotal}
                {r.tasksFailed ? <span className="text-bad"> · {r.tasksFailed} failed</span> : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

function SchedulesCard({ workflowId }: { workflowId: string }) {
  const trpc = useTRPC();
  const team = useTeam();
  const schedules = useQuery(trpc.schedules.list.queryOptions({ teamSlug: team.slug, workflowId }));
  const triggers = useQuery(trpc.triggers.list.queryOptions({ teamSlug: team.slug, workflowId }));
  return (
    <Card title="Schedules and triggers">
      {schedules.isPending || triggers.isPending ? (
        <SkeletonRows rows={2} />
      ) : schedules.isError ? (
        <ErrorState error={schedules.error} />
      ) : (
        <div className="flex flex-col gap-2 text-sm" data-testid="workflow-schedules">
          {schedules.data.length === 0 && (triggers.data?.length ?? 0) === 0 ? (
            <p className="text-muted">Runs start only by hand or through the API.</p>
          ) : null}
          {schedules.data.map((s) => (
            <div key={s.id} className="rounded-md border border-border px-3 py-2">
              <div className="flex justify-between">
                <span className="font-mono text-xs">{s.cron}</span>
                <span className="text-xs text-muted">{s.timezone}</span>
              </div>
              <div className="text-xs text-muted">
                {s.name} ·{' '}
                {s.enabled
                  ? s.nextFireAt
                    ? `next ${relativeTime(s.nextFireAt)}`
                    : 'no next fire'
                  : 'paused'}
              </div>
            </div>
          ))}
          {(triggers.data ?? []).map((t) => (
            <div key={t.id} className="rounded-md border border-border px-3 py-2 text-xs">
              <span className="font-medium">{t.name}</span>{' '}
              <span className="text-muted">
                · {t.kind}
                {t.eventName ? ` on ${t.eventName}` : ''}
                {t.enabled ? '' : ' · disabled'}
              </span>
            </div>
          ))}
        </div>
      )}
    </Card>
  );
}
