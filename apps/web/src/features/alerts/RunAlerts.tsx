'use client';
import { useQuery } from '@tanstack/react-query';
import { Card } from '@/components/ui/page';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { useTRPC } from '@/trpc/react';
import { IncidentList } from './IncidentList';

/** The run page's alerts: the incidents this run caused and what was sent. */
export function RunAlerts({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const incidents = useQuery({
    ...trpc.alerts.incidents.forRun.queryOptions({ runId }),
    refetchInterval: 10_000,
  });
  return (
    <Card title="Alerts">
      <div data-testid="run-alerts">
        {incidents.isPending ? (
          <SkeletonRows rows={1} className="p-4" />
        ) : incidents.isError ? (
          <ErrorState error={incidents.error} retry={() => void incidents.refetch()} />
        ) : incidents.data.length === 0 ? (
          <p className="p-4 text-sm text-muted">No alerts for this run.</p>
        ) : (
          <IncidentList incidents={incidents.data} />
        )}
      </div>
    </Card>
  );
}
