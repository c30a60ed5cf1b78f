'use client';
import { topologicalLayers, type JsonValue } from '@dtss/core';
import { useQuery } from '@tanstack/react-query';
import { ArrowLeftRight } from 'lucide-react';
import Link from 'next/link';
import { useSearchParams } from 'next/navigation';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useTeam, useTeamHref } from '@/components/shell/team';
import { cn } from '@/components/ui/cn';
import { Select } from '@/components/ui/input';
import { Card, PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status';
import { DataTable, type TableColumn } from '@/components/ui/table';
import { DiffView } from '@/features/workflows/DiffView';
import { dateTime, durationMs } from '@/lib/format';
import { replaceSearchParams } from '@/lib/searchParams';
import { useNow } from '@/lib/useNow';
import { useTRPC } from '@/trpc/react';
import { isActiveRun } from '../runFormat';
import { useRunStream } from '../useRunStream';
import {
  compareRuns,
  defaultOther,
  headline,
  signedDuration,
  sortTasks,
  type RunComparison,
  type TaskComparison,
  type TaskSide,
  type TaskSort,
} from './compareRuns';
import { formatJsonPath, shortJson, type JsonDiff } from './jsonDiff';

const COMPARE_COLUMNS: TableColumn[] = [
  { label: 'Task' },
  { label: 'Status A' },
  { label: 'Status B' },
  { label: 'Duration A', numeric: true },
  { label: 'Duration B', numeric: true },
  { label: 'Difference', numeric: true },
  { label: 'Attempts' },
  { label: 'Output' },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How many of the workflow's recent runs the picker offers. */
const PICKABLE_RUNS = 50;

/**
 * Run A (the page's run) next to run B (`?with=`, another run of the same workflow): totals and
 * the tasks that added the most time, then task by task statuses, durations, attempts and output
 * changes, the params' changes and the version diff.
 */
export function ComparePage({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const asked = useSearchParams().get('with');
  const a = useQuery(trpc.runs.get.queryOptions({ runId }));
  const recent = useQuery({
    ...trpc.runs.list.queryOptions({
      teamSlug: team.slug,
      workflow: a.data?.workflowId ?? '',
      limit: PICKABLE_RUNS,
    }),
    enabled: Boolean(a.data),
  });
  const fallback = useMemo(
    () => (a.data && recent.data ? defaultOther(recent.data.items, a.data) : null),
    [a.data, recent.data],
  );
  const otherId = asked || fallback;
  // The choice lives in the URL, so the comparison can be linked.
  useEffect(() => {
    if (!asked && fallback) replaceSearchParams({ with: fallback });
  }, [asked, fallback]);
  const validOther = Boolean(otherId && UUID.test(otherId));
  const b = useQuery({
    ...trpc.runs.get.queryOptions({ runId: validOther ? otherId! : '' }),
    enabled: validOther,
  });
  const aActive = a.data ? isActiveRun(a.data.status) : false;
  const bActive = b.data ? isActiveRun(b.data.status) : false;
  useRunStream(runId, aActive);
  useRunStream(validOther ? otherId! : runId, validOther && bActive);
  const now = useNow(aActive || bActive);

  if (a.isPending) {
    return (
      <PageBody>
        <SkeletonRows rows={8} />
      </PageBody>
    );
  }
  if (a.isError) {
    return (
      <PageBody>
        <PageHeader title="Compare runs" />
        <ErrorState error={a.error} retry={() => void a.refetch()} />
      </PageBody>
    );
  }
  const runA = a.data;
  const options = (recent.data?.items ?? []).filter((r) => r.id !== runA.id);
  const bOption = b.data && !options.some((r) => r.id === b.data.id) ? b.data : null;

  let body;
  if (!otherId) {
    body = recent.isPending ? (
      <SkeletonRows rows={6} />
    ) : recent.isError ? (
      <ErrorState error={recent.error} retry={() => void recent.refetch()} />
    ) : (
      <EmptyState title="Nothing to compare with">
        {runA.workflowName} has no other run yet.
      </EmptyState>
    );
  } else if (!validOther) {
    body = <Problem>The run to compare with (?with=) is not a run id. Pick a run above.</Problem>;
  } else if (b.isPending) {
    body = <SkeletonRows rows={6} />;
  } else if (b.isError) {
    body = <ErrorState error={b.error} retry={() => void b.refetch()} />;
  } else if (b.data.workflowId !== runA.workflowId) {
    body = (
      <Problem>
        Run #{b.data.number} is a run of {b.data.workflowName}, not of {runA.workflowName}: only
        runs of the same workflow can be compared. Pick one of {runA.workflowName}’s runs above.
      </Problem>
    );
  } else if (b.data.id === runA.id) {
    body = <Problem>That is this run. Pick another run above.</Problem>;
  } else {
    body = <Comparison a={runA} b={b.data} now={now} />;
  }

  return (
    <PageBody wide>
      <PageHeader
        title="Compare runs"
        subtitle={
          <span>
            <Link
              href={href(`/workflows/${encodeURIComponent(runA.workflowName)}`)}
              className="text-fg underline underline-offset-2"
            >
              {runA.workflowName}
            </Link>{' '}
            ·{' '}
            <Link
              href={href(`/runs/${runA.id}`)}
              className="text-fg underline underline-offset-2"
              data-testid="compare-run-a"
            >
              run #{runA.number}
            </Link>
            {b.data ? (
              <>
                {' '}
                (A) with{' '}
                <Link
                  href={href(`/runs/${b.data.id}`)}
                  className="text-fg underline underline-offset-2"
                  data-testid="compare-run-b"
                >
                  run #{b.data.number}
                </Link>{' '}
                (B)
              </>
            ) : null}
          </span>
        }
        actions={
          <>
            <label className="flex items-center gap-2 text-sm text-muted">
              Compare with
              <Select
                // Wide enough for "#1234 · timed out · 07/12/2026, 23:59:59" without cutting it.
                className="w-80"
                value={otherId ?? ''}
                onChange={(e) => replaceSearchParams({ with: e.target.value })}
                disabled={recent.isPending}
                data-testid="compare-with"
              >
                {!otherId ? <option value="">—</option> : null}
                {otherId && !validOther ? <option value={otherId}>(not a run)</option> : null}
                {bOption ? (
                  <option value={bOption.id}>
                    #{bOption.number} · {bOption.status.replace(/_/g, ' ')} ·{' '}
                    {dateTime(bOption.createdAt)}
                  </option>
                ) : null}
                {options.map((r) => (
                  <option key={r.id} value={r.id}>
                    #{r.number} · {r.status.replace(/_/g, ' ')} · {dateTime(r.createdAt)}
                  </option>
                ))}
              </Select>
            </label>
            {b.data && b.data.workflowId === runA.workflowId && b.data.id !== runA.id ? (
              <Link
                href={href(`/runs/${b.data.id}/compare?with=${runA.id}`)}
                className="inline-flex h-8 items-center gap-1.5 rounded-md border border-border bg-panel px-3 text-sm font-medium text-fg hover:bg-panel-2"
                data-testid="compare-swap"
              >
                <ArrowLeftRight aria-hidden size={14} /> Swap A and B
              </Link>
            ) : null}
          </>
        }
      />
      {body}
    </PageBody>
  );
}

function Problem({ children }: { children: ReactNode }) {
  return (
    <div
      role="alert"
      data-testid="compare-problem"
      className="rounded-lg border border-warn/50 bg-panel px-4 py-3 text-sm"
    >
      {children}
    </div>
  );
}

type RunData = {
  id: string;
  number: number;
  status: string;
  version: number;
  versionId: string;
  params: Record<string, JsonValue>;
  startedAt: Date | null;
  finishedAt: Date | null;
  tasks: {
    key: string;
    status: string;
    attempts: number;
    startedAt: Date | null;
    finishedAt: Date | null;
    output: JsonValue | null;
  }[];
};

/** Graph order of a version's tasks (roots first); definition order if it has a cycle. */
function graphOrder(tasks: Record<string, { needs?: readonly string[] }> | undefined): string[] {
  if (!tasks) return [];
  try {
    return topologicalLayers({ tasks }).flat();
  } catch {
    return Object.keys(tasks);
  }
}

function Comparison({ a, b, now }: { a: RunData; b: RunData; now: number }) {
  const trpc = useTRPC();
  const versionA = useQuery({
    ...trpc.versions.get.queryOptions({ versionId: a.versionId, withText: false }),
    staleTime: Infinity, // a version never changes
  });
  const versionB = useQuery({
    ...trpc.versions.get.queryOptions({ versionId: b.versionId, withText: false }),
    staleTime: Infinity,
  });
  const order = useMemo(
    () => [
      ...graphOrder(versionA.data?.definition.tasks),
      ...graphOrder(versionB.data?.definition.tasks),
    ],
    [versionA.data, versionB.data],
  );
  const cmp = useMemo(() => compareRuns(a, b, { now, order }), [a, b, now, order]);
  return (
    <div className="flex flex-col gap-4">
      <Headline cmp={cmp} a={a} b={b} />
      <TasksCard cmp={cmp} a={a} b={b} />
      <div className="grid gap-4 xl:grid-cols-2">
        <Card title="Params">
          <ChangeList
            diff={cmp.params}
            root="params"
            same="Both runs had the same params."
            testId="compare-params"
          />
        </Card>
        <Card title="Version">
          {a.versionId === b.versionId ? (
            <p className="text-sm text-muted" data-testid="compare-version">
              Both runs ran version {a.version}.
            </p>
          ) : (
            <div className="flex flex-col gap-2" data-testid="compare-version">
              <p className="text-sm text-muted">
                Run #{a.number} ran version {a.version}, run #{b.number} version {b.version}.
              </p>
              <VersionDiff from={a.versionId} to={b.versionId} />
            </div>
          )}
        </Card>
      </div>
    </div>
  );
}

function VersionDiff({ from, to }: { from: string; to: string }) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.versions.diff.queryOptions({ fromVersionId: from, toVersionId: to }));
  if (diff.isPending) return <SkeletonRows rows={3} />;
  if (diff.isError) return <ErrorState error={diff.error} retry={() => void diff.refetch()} />;
  if (diff.data.identical)
    return <p className="text-xs text-muted">The two versions have the same definition.</p>;
  return <DiffView patch={diff.data.diff} />;
}

function Headline({ cmp, a, b }: { cmp: RunComparison; a: RunData; b: RunData }) {
  const sentence = headline(cmp, a, b);
  const { aMs, bMs, deltaMs } = cmp.totals;
  return (
    <Card
      title={`Why was run #${b.number} ${deltaMs !== null && deltaMs < 0 ? 'faster' : 'slower'}?`}
    >
      <div className="flex flex-col gap-3" data-testid="compare-headline">
        <dl className="grid grid-cols-3 gap-3 text-sm sm:max-w-xl">
          <Total label={`Run #${a.number} (A)`} status={a.status}>
            {durationMs(aMs)}
          </Total>
          <Total label={`Run #${b.number} (B)`} status={b.status}>
            {durationMs(bMs)}
          </Total>
          <Total label="Difference">{deltaMs === null ? '—' : signedDuration(deltaMs)}</Total>
        </dl>
        <p className="text-sm" data-testid="compare-sentence">
          {sentence ?? 'One of the runs has not started, so their durations cannot be compared.'}
        </p>
        {cmp.topSlowdowns.length > 0 ? (
          <div className="text-sm">
            <div className="mb-1 text-xs font-medium text-muted">
              Tasks that added the most time
            </div>
            <ol className="flex flex-col gap-1" data-testid="compare-top-slowdowns">
              {cmp.topSlowdowns.map((t) => (
                <li key={t.key} className="flex flex-wrap items-baseline gap-2">
                  <span className="font-mono text-xs font-medium">{t.key}</span>
                  <span className="font-semibold">{signedDuration(t.deltaMs!)}</span>
                  <span className="text-xs text-muted">
                    {durationMs(t.a?.durationMs)} → {durationMs(t.b?.durationMs)}
                    {t.attemptsDelta ? ` · ${signedCount(t.attemptsDelta)} attempts` : ''}
                  </span>
                </li>
              ))}
            </ol>
          </div>
        ) : deltaMs !== null ? (
          <p className="text-sm text-muted">No task took longer in run #{b.number}.</p>
        ) : null}
        {cmp.partial ? (
          <p className="text-xs text-muted">
            A run is still going: its durations are so far, and change as it runs.
          </p>
        ) : null}
      </div>
    </Card>
  );
}

function Total({
  label,
  status,
  children,
}: {
  label: string;
  status?: string;
  children: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-1 rounded-md border border-border px-3 py-2">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="text-base font-semibold">{children}</dd>
      {status ? (
        <dd>
          <StatusBadge status={status} />
        </dd>
      ) : null}
    </div>
  );
}

function signedCount(n: number): string {
  return n > 0 ? `+${n}` : `−${-n}`;
}

function TasksCard({ cmp, a, b }: { cmp: RunComparison; a: RunData; b: RunData }) {
  const [sort, setSort] = useState<TaskSort>('graph');
  const rows = useMemo(() => sortTasks(cmp.tasks, sort), [cmp.tasks, sort]);
  const changedOutputs = cmp.tasks.filter((t) => t.output.changes.length > 0).length;
  const changedStatuses = cmp.tasks.filter((t) => t.statusChanged).length;
  return (
    <Card
      title={`Tasks (${cmp.tasks.length})`}
      actions={
        <label className="flex items-center gap-1.5 text-xs text-muted">
          Sort
          <select
            className="rounded border border-border bg-bg px-1 py-0.5 text-fg"
            value={sort}
            onChange={(e) => setSort(e.target.value as TaskSort)}
            data-testid="compare-sort"
          >
            <option value="graph">graph order</option>
            <option value="difference">biggest difference first</option>
          </select>
        </label>
      }
    >
      <p className="mb-3 text-xs text-muted">
        {changedStatuses} status change{changedStatuses === 1 ? '' : 's'} · {changedOutputs} output
        {changedOutputs === 1 ? '' : 's'} changed · differences are B − A; the tasks that added the
        most time are marked.
      </p>
      <DataTable
        caption={`Tasks of run #${a.number} (A) and run #${b.number} (B)`}
        columns={COMPARE_COLUMNS}
        testId="compare-tasks"
        framed={false}
        cellPadding="px-3"
      >
        {rows.map((t) => (
          <TaskRow key={t.key} t={t} />
        ))}
      </DataTable>
    </Card>
  );
}

function TaskRow({ t }: { t: TaskComparison }) {
  return (
    <tr
      className={cn('border-b border-border align-top last:border-0', t.slowdown && 'bg-warn/10')}
      data-task={t.key}
      data-slowdown={t.slowdown || undefined}
    >
      <th scope="row" className="px-4 py-2 text-left font-mono text-xs font-medium">
        {t.key}
        {t.slowdown ? (
          <span className="ml-2 rounded border border-warn/60 px-1 font-sans text-[10px] font-normal">
            added the most time
          </span>
        ) : null}
      </th>
      <td className="px-3 py-2">
        <SideStatus side={t.a} />
      </td>
      <td className="px-3 py-2">
        <SideStatus side={t.b} />
      </td>
      <td className="px-3 py-2 text-right tabular-nums" data-testid="duration-a">
        <SideDuration side={t.a} />
      </td>
      <td className="px-3 py-2 text-right tabular-nums" data-testid="duration-b">
        <SideDuration side={t.b} />
      </td>
      <td
        className={cn('px-3 py-2 text-right tabular-nums', t.slowdown && 'font-semibold')}
        data-testid="duration-delta"
      >
        {t.deltaMs === null ? '—' : signedDuration(t.deltaMs)}
      </td>
      <td className="px-3 py-2 whitespace-nowrap">
        {t.a ? t.a.attempts : '—'} → {t.b ? t.b.attempts : '—'}
        {t.attemptsDelta ? (
          <span className="ml-1 text-xs text-muted">({signedCount(t.attemptsDelta)})</span>
        ) : null}
      </td>
      <td className="px-4 py-2" data-testid="output-diff">
        <OutputDiff diff={t.output} />
      </td>
    </tr>
  );
}

function SideStatus({ side }: { side: TaskSide | null }) {
  return side ? (
    <StatusBadge status={side.status} />
  ) : (
    <span className="text-xs text-muted">not in this run</span>
  );
}

function SideDuration({ side }: { side: TaskSide | null }) {
  if (!side || side.durationMs === null) return <>—</>;
  return (
    <>
      {durationMs(side.durationMs)}
      {side.running ? <span className="text-xs text-muted"> so far</span> : null}
    </>
  );
}

function OutputDiff({ diff }: { diff: JsonDiff }) {
  const n = diff.changes.length;
  if (n === 0) return <span className="text-xs text-muted">same</span>;
  return (
    <details>
      <summary className="cursor-pointer text-xs">
        {n}
        {diff.truncated ? '+' : ''} change{n === 1 ? '' : 's'}
      </summary>
      <ChangeList diff={diff} root="output" />
    </details>
  );
}

/** Changed, added and removed paths, values as one-line JSON text (never HTML). */
function ChangeList({
  diff,
  root,
  same,
  testId,
}: {
  diff: JsonDiff;
  root: string;
  same?: string;
  testId?: string;
}) {
  if (diff.changes.length === 0)
    return (
      <p className="text-sm text-muted" data-testid={testId}>
        {same ?? 'No changes.'}
      </p>
    );
  return (
    <ul className="mt-1 flex flex-col gap-1 font-mono text-xs" data-testid={testId}>
      {diff.changes.map((c, i) => (
        <li key={i} className="break-all" data-change={c.kind}>
          <span className="font-medium">{formatJsonPath(c.path, root)}</span>{' '}
          {c.kind === 'changed' ? (
            <>
              <span className="rounded bg-bad/15 px-0.5">{shortJson(c.before)}</span> →{' '}
              <span className="rounded bg-ok/15 px-0.5">{shortJson(c.after)}</span>
            </>
          ) : c.kind === 'added' ? (
            <>
              added <span className="rounded bg-ok/15 px-0.5">{shortJson(c.after)}</span>
            </>
          ) : (
            <>
              removed <span className="rounded bg-bad/15 px-0.5">{shortJson(c.before)}</span>
            </>
          )}
        </li>
      ))}
      {diff.truncated ? <li className="text-muted">… and more</li> : null}
    </ul>
  );
}
