'use client';
import { replaceSearchParams } from '@/lib/searchParams';
import type { DatabaseHealth } from '@dtss/db';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState, useTransition } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useTeam } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Card, PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { Tag } from '@/components/ui/status';
import { dateTime, relativeTime } from '@/lib/format';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { StateLabel } from '@/components/ui/StateLabel';
import { WorkerStatusBadge } from './WorkerStatusBadge';

/** Heartbeats come every few seconds; the list follows them this often. */
const WORKERS_REFRESH_MS = 10_000;

/**
 * The system status for signed-in users: the database (read on the server when the page renders,
 * there is no API procedure for it) and the cluster's workers (`workers.list`).
 */
export function SystemStatus({
  database,
  checkedAt,
}: {
  database: DatabaseHealth;
  checkedAt: string;
}) {
  const trpc = useTRPC();
  const team = useTeam();
  const router = useRouter();
  const params = useSearchParams();
  const all = params.get('all') === '1';
  const [refreshing, startRefresh] = useTransition();
  const workers = useQuery({
    ...trpc.workers.list.queryOptions({ teamSlug: team.slug, onlineOnly: !all }),
    refetchInterval: WORKERS_REFRESH_MS,
  });

  // Draining slows every team: the button shows only to an operator who is an admin here.
  const permissions = useQuery(trpc.workers.permissions.queryOptions({ teamSlug: team.slug }));
  const canDrain = permissions.data?.canDrain === true;
  const queryClient = useQueryClient();
  const [toDrain, setToDrain] = useState<{ id: string; name: string } | null>(null);
  const drain = useMutation(
    trpc.workers.drain.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.workers.list.pathKey() }),
    }),
  );

  function setAll(on: boolean) {
    replaceSearchParams({ all: on ? '1' : null });
  }

  // Times of the server's part differ by a second between the server render and the browser's:
  // their <time> elements say so (suppressHydrationWarning).
  const now = Date.now();
  const db = database;
  return (
    <PageBody>
      <PageHeader
        title="Workers"
        subtitle="The system status: the database and the workers that run tasks for every team."
        actions={
          <Button
            disabled={refreshing || workers.isFetching}
            onClick={() => {
              // Re-renders the server part (database) and re-reads the workers.
              startRefresh(() => router.refresh());
              void workers.refetch();
            }}
          >
            <RefreshCw aria-hidden size={14} className={refreshing ? 'animate-spin' : ''} />
            Refresh
          </Button>
        }
      />
      <div className="flex flex-col gap-4">
        <Card title="Database">
          <dl className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm">
            <dt className="text-muted">Status</dt>
            <dd data-testid="db-status">
              <StateLabel tone={db.ok ? 'ok' : 'bad'} className={db.ok ? undefined : 'text-bad'}>
                {db.ok
                  ? `connected (${db.latencyMs} ms${db.serverVersion ? `, Postgres ${db.serverVersion}` : ''})`
                  : `unreachable: ${db.error ?? 'no answer'}`}
              </StateLabel>
            </dd>
            <dt className="text-muted">Schema</dt>
            <dd>
              <code className="font-mono text-xs" data-testid="db-migration">
                {db.migration?.latest ?? (db.ok ? 'no migrations applied' : 'unknown')}
              </code>
              {db.migration ? (
                <div className="text-xs text-muted">
                  {db.migration.applied} migration{db.migration.applied === 1 ? '' : 's'} applied
                  {db.migration.appliedAt ? (
                    <>
                      , the last one{' '}
                      <time
                        dateTime={db.migration.appliedAt}
                        title={dateTime(db.migration.appliedAt)}
                        suppressHydrationWarning
                      >
                        {relativeTime(db.migration.appliedAt, now)}
                      </time>
                    </>
                  ) : null}
                </div>
              ) : null}
            </dd>
            <dt className="text-muted">Checked</dt>
            <dd>
              <time dateTime={checkedAt} title={dateTime(checkedAt)} suppressHydrationWarning>
                {relativeTime(checkedAt, now)}
              </time>
            </dd>
          </dl>
        </Card>

        <Card
          title={all ? 'All workers' : 'Live workers'}
          actions={
            <label className="flex items-center gap-1.5 text-xs text-muted">
              <input
                type="checkbox"
                checked={all}
                onChange={(e) => setAll(e.target.checked)}
                data-testid="workers-show-all"
              />
              Include stopped and lost workers
            </label>
          }
        >
          {workers.isPending ? (
            <SkeletonRows rows={3} />
          ) : workers.isError ? (
            <ErrorState error={workers.error} retry={() => void workers.refetch()} />
          ) : workers.data.length === 0 ? (
            <EmptyState title={all ? 'No workers have registered' : 'No live workers'}>
              Tasks wait in the queue until a worker serving their pool is running. Start one with{' '}
              <code>node --import tsx apps/worker/src/main.ts</code> (<code>npm start</code> starts
              two).
            </EmptyState>
          ) : (
            // Focusable region: the rows hold nothing focusable, yet a keyboard must scroll them.
            <div
              className="-m-4 overflow-x-auto"
              tabIndex={0}
              role="region"
              aria-label={all ? 'All workers' : 'Live workers'}
            >
              <table className="w-full text-sm" data-testid="workers">
                <caption className="sr-only">
                  {all ? 'All workers of the cluster' : 'Workers that sent a heartbeat recently'}
                </caption>
                <thead className="border-b border-border text-left text-xs text-muted">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Name
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Host
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Pools
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Status
                    </th>
                    <th scope="col" className="px-4 py-2 text-right font-medium">
                      Running / concurrency
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Last heartbeat
                    </th>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Started
                    </th>
                    {canDrain ? (
                      <th scope="col" className="px-4 py-2">
                        <span className="sr-only">Actions</span>
                      </th>
                    ) : null}
                  </tr>
                </thead>
                <tbody>
                  {workers.data.map((w) => (
                    <tr
                      key={w.id}
                      className="border-b border-border last:border-0"
                      data-worker-id={w.id}
                    >
                      <td className="px-4 py-2.5">
                        <span className="font-medium">{w.name}</span>
                        <div className="text-xs text-muted">v{w.version}</div>
                      </td>
                      <td className="px-4 py-2.5 font-mono text-xs">
                        {w.hostname}:{w.pid}
                      </td>
                      <td className="px-4 py-2.5">
                        <div className="flex flex-wrap gap-1">
                          {w.pools.map((p) => (
                            <Tag key={p}>{p}</Tag>
                          ))}
                        </div>
                      </td>
                      <td className="px-4 py-2.5">
                        <WorkerStatusBadge status={w.status} />
                      </td>
                      <td className="px-4 py-2.5 text-right tabular-nums">
                        {w.status === 'active' || w.status === 'draining'
                          ? `${w.runningTasks} / ${w.concurrency}`
                          : `— / ${w.concurrency}`}
                      </td>
                      <td className="px-4 py-2.5 text-muted" title={dateTime(w.lastHeartbeatAt)}>
                        {relativeTime(w.lastHeartbeatAt, now)}
                      </td>
                      <td className="px-4 py-2.5 text-muted" title={dateTime(w.startedAt)}>
                        {relativeTime(w.startedAt, now)}
                      </td>
                      {canDrain ? (
                        <td className="px-4 py-1.5 text-right">
                          {w.status === 'active' ? (
                            <Button
                              variant="ghost"
                              onClick={() => setToDrain({ id: w.id, name: w.name })}
                              disabled={drain.isPending}
                              data-testid={`drain-${w.name}`}
                            >
                              Drain
                            </Button>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Card>
        <div role="status" aria-live="polite" className="text-sm empty:hidden">
          {drain.isError ? (
            <span className="text-bad">Could not drain: {errorMessage(drain.error)}</span>
          ) : drain.data ? (
            <span className="text-muted">
              The worker is draining: it takes no new task, finishes the ones it runs, then stops.
            </span>
          ) : null}
        </div>
      </div>
      <ConfirmDialog
        open={toDrain !== null}
        onOpenChange={(open) => !open && setToDrain(null)}
        title={`Drain ${toDrain?.name ?? 'the worker'}?`}
        description="It takes no new task from any team, finishes the tasks it runs and then stops. Its tasks to come go to the other workers of its pools; a pool left without a worker waits until one starts."
        confirmLabel="Drain"
        danger
        onConfirm={() => {
          if (toDrain) drain.mutate({ teamSlug: team.slug, workerId: toDrain.id });
        }}
      />
    </PageBody>
  );
}
