'use client';
import type { AppRouter } from '@dtss/api';
import { useQuery } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { Card } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { StateLabel } from '@/components/ui/StateLabel';
import { DataTable, type TableColumn } from '@/components/ui/table';
import { durationMs } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { LoadMeter } from './LoadMeter';
import { poolWarning, runnableSlots } from './poolFigures';

type PoolRow = inferRouterOutputs<AppRouter>['workers']['pools']['pools'][number];

const COLUMNS: TableColumn[] = [
  { label: 'Pool' },
  { label: 'Slot cap', numeric: true, className: 'w-24' },
  { label: 'Workers', numeric: true, className: 'w-24' },
  { label: 'Busy / slots', className: 'w-36' },
  { label: 'Waiting', numeric: true, className: 'w-24' },
  { label: 'Oldest wait', numeric: true, className: 'w-28' },
  { label: 'Median wait', numeric: true, className: 'w-28' },
  { label: 'p95 wait', numeric: true, className: 'w-28' },
];

const wait = (ms: number | null) => (ms === null ? '—' : durationMs(ms));

/**
 * The team's pools (`default` and those its workflows and active runs name; every pool for an
 * operator) as the cluster sees them: slot cap, the live workers serving it and their
 * concurrency, the tasks running in it and the tasks waiting for it (every team's: the figures
 * are the whole cluster's), with how long those have waited so far. No workflow is named.
 */
export function PoolsPanel({ teamSlug, refreshMs }: { teamSlug: string; refreshMs: number }) {
  const trpc = useTRPC();
  const pools = useQuery({
    ...trpc.workers.pools.queryOptions({ teamSlug }),
    refetchInterval: refreshMs,
  });
  return (
    <Card title="Pools">
      <div data-testid="pools">
        {pools.isPending ? (
          <SkeletonRows rows={3} />
        ) : pools.isError ? (
          <ErrorState error={pools.error} retry={() => void pools.refetch()} />
        ) : pools.data.pools.length === 0 ? (
          <EmptyState title="No pools yet">
            A pool of this team&apos;s (<code>default</code>, or one its workflows name) appears
            when a worker serves it, a task waits for it, or an operator caps its slots.
          </EmptyState>
        ) : (
          <DataTable
            caption="Pools: slots, workers, busy and waiting tasks, and how long the waiting tasks have waited"
            columns={COLUMNS}
            testId="pools-table"
            framed={false}
            layout="fixed"
            minWidth="56rem"
            regionLabel="Pools"
          >
            {pools.data.pools.map((p) => (
              <PoolRowView key={p.name} pool={p} />
            ))}
          </DataTable>
        )}
      </div>
    </Card>
  );
}

function PoolRowView({ pool: p }: { pool: PoolRow }) {
  const slots = runnableSlots(p);
  const warning = poolWarning(p);
  return (
    <tr className="border-b border-border last:border-0" data-pool={p.name}>
      <th scope="row" className="px-4 py-2 text-left font-medium">
        <div className="truncate" title={p.name}>
          {p.name}
        </div>
        {warning === 'no-worker' ? (
          <StateLabel tone="bad" className="text-xs font-normal">
            no live worker serves it
          </StateLabel>
        ) : warning === 'full' ? (
          <StateLabel tone="warn" className="text-xs font-normal">
            every slot busy
          </StateLabel>
        ) : null}
      </th>
      <td className="px-4 py-2 text-right tabular-nums">
        {p.slots ?? <span className="text-muted">none</span>}
      </td>
      <td
        className="px-4 py-2 text-right tabular-nums"
        title={`${p.workers} live worker${p.workers === 1 ? '' : 's'}, ${p.capacity} tasks at once in all`}
      >
        {p.workers}
        <div className="text-xs text-muted">{p.capacity} at once</div>
      </td>
      <td className="px-4 py-2">
        <div className="tabular-nums">
          {p.busy}
          <span className="text-muted"> / {slots}</span>
        </div>
        <LoadMeter percent={slots > 0 ? Math.min(100, Math.round((p.busy / slots) * 100)) : 0} />
      </td>
      <td className="px-4 py-2 text-right font-medium tabular-nums" data-testid="pool-waiting">
        {p.waiting}
      </td>
      <td className="px-4 py-2 text-right text-muted tabular-nums">{wait(p.oldestWaitMs)}</td>
      <td className="px-4 py-2 text-right text-muted tabular-nums">{wait(p.medianWaitMs)}</td>
      <td className="px-4 py-2 text-right text-muted tabular-nums">{wait(p.p95WaitMs)}</td>
    </tr>
  );
}
