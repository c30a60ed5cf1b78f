'use client';
import type { DatabaseHealth } from '@dtss/db';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState, useTransition } from 'react';
import { PageBody } from '@/components/shell/AppShell';
import { useTeam } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Card, PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { replaceSearchParams } from '@/lib/searchParams';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { DatabaseCard } from './DatabaseCard';
import { PoolsPanel } from './PoolsPanel';
import { WorkerAttempts } from './WorkerAttempts';
import { WorkersTable } from './WorkersTable';

/** Heartbeats come every few seconds (there is no stream of them): the page reads again this often. */
const REFRESH_MS = 10_000;

/**
 * The workers page: the workers serving the team's pools (every worker for operators; live ones
 * and those that ended in the last minutes, or all with `?all=1`), the selected worker's recent
 * attempts of this team's runs (`?worker=<id>`), those pools with their queues, and the database.
 * Operators who are admins of the team drain workers from here.
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
  const pathname = usePathname();
  const params = useSearchParams();
  const all = params.get('all') === '1';
  const selectedId = params.get('worker');
  const [refreshing, startRefresh] = useTransition();
  const queryClient = useQueryClient();
  const workers = useQuery({
    ...trpc.workers.list.queryOptions({ teamSlug: team.slug, scope: all ? 'all' : 'recent' }),
    refetchInterval: REFRESH_MS,
    // Toggling "all" keeps the old rows until the new ones come: no skeleton, no jump.
    placeholderData: keepPreviousData,
  });

  // Draining slows every team: the button shows only to an operator who is an admin here.
  const permissions = useQuery(trpc.workers.permissions.queryOptions({ teamSlug: team.slug }));
  const canDrain = permissions.data?.canDrain === true;
  const everyWorker = permissions.data?.seesEveryWorker === true;
  const [toDrain, setToDrain] = useState<{ id: string; name: string } | null>(null);
  const drain = useMutation(
    trpc.workers.drain.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.workers.list.pathKey() }),
    }),
  );

  const selectHref = (workerId: string | null) => {
    const next = new URLSearchParams(params.toString());
    if (workerId) next.set('worker', workerId);
    else next.delete('worker');
    const qs = next.toString();
    return qs ? `${pathname}?${qs}` : pathname;
  };

  const now = Date.now();
  const listCaption = `${
    all
      ? 'All workers'
      : 'Workers running now, and those that stopped or were lost in the last 15 minutes'
  }${everyWorker ? ', of every pool' : ", serving this team's pools"}`;
  return (
    <PageBody>
      <PageHeader
        title="Workers"
        subtitle={
          everyWorker
            ? 'Every worker of the cluster and every pool (you are an operator), and the database.'
            : "The workers that serve this team's pools (default and those its workflows name), those pools, and the database."
        }
        actions={
          <Button
            disabled={refreshing}
            onClick={() => {
              // Re-renders the server part (database) and re-reads everything else.
              startRefresh(() => router.refresh());
              void queryClient.invalidateQueries({ queryKey: trpc.workers.pathKey() });
            }}
          >
            <RefreshCw aria-hidden size={14} className={refreshing ? 'animate-spin' : ''} />
            Refresh
          </Button>
        }
      />
      <div className="flex flex-col gap-4">
        <Card
          title={all ? 'All workers' : 'Workers'}
          actions={
            <label className="flex items-center gap-1.5 text-xs text-muted">
              <input
                type="checkbox"
                checked={all}
                onChange={(e) => replaceSearchParams({ all: e.target.checked ? '1' : null })}
                data-testid="workers-show-all"
              />
              Include workers that ended long ago
            </label>
          }
        >
          {workers.isPending ? (
            <SkeletonRows rows={3} />
          ) : workers.isError && !workers.data ? (
            <ErrorState error={workers.error} retry={() => void workers.refetch()} />
          ) : workers.data.length === 0 ? (
            <EmptyState title={all ? 'No workers have registered' : 'No live workers'}>
              Tasks wait in the queue until a worker serving their pool is running. Start one with{' '}
              <code>node --import tsx apps/worker/src/main.ts</code> (<code>npm start</code> starts
              two).
            </EmptyState>
          ) : (
            <WorkersTable
              workers={workers.data}
              caption={listCaption}
              now={now}
              selectedId={selectedId}
              selectHref={selectHref}
              canDrain={canDrain}
              drainDisabled={drain.isPending}
              onDrain={(w) => setToDrain({ id: w.id, name: w.name })}
            />
          )}
        </Card>
        <div role="status" aria-live="polite" className="text-sm empty:hidden">
          {drain.isError ? (
            <span className="text-bad">Could not drain: {errorMessage(drain.error)}</span>
          ) : drain.data ? (
            <span className="text-muted">
              {workers.data?.find((w) => w.id === drain.data.id)?.name ?? 'The worker'} is draining:
              it takes no new task, finishes the ones it runs, then stops.
            </span>
          ) : null}
        </div>

        {selectedId ? (
          <WorkerAttempts
            teamSlug={team.slug}
            workerId={selectedId}
            closeHref={selectHref(null)}
            refreshMs={REFRESH_MS}
            now={now}
          />
        ) : null}

        <PoolsPanel teamSlug={team.slug} refreshMs={REFRESH_MS} />
        <DatabaseCard database={database} checkedAt={checkedAt} now={now} />
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
