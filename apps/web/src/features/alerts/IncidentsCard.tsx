'use client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTeam } from '@/components/shell/team';
import { Select } from '@/components/ui/input';
import { Card } from '@/components/ui/page';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { useTRPC } from '@/trpc/react';
import { IncidentList } from './IncidentList';

/** The team's incidents, newest first, re-read every 5 s (the leader sends in the background). */
export function IncidentsCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const [status, setStatus] = useState<'' | 'open' | 'resolved'>('');
  const incidents = useQuery({
    ...trpc.alerts.incidents.list.queryOptions({
      teamSlug: team.slug,
      limit: 50,
      ...(status ? { status } : {}),
    }),
    refetchInterval: 5_000,
    placeholderData: keepPreviousData,
  });
  return (
    <Card
      title="Incidents"
      actions={
        <label className="flex items-center gap-2 text-xs text-muted">
          Show
          <Select
            value={status}
            onChange={(e) => setStatus(e.target.value as typeof status)}
            className="h-7 w-32 text-xs"
            data-testid="incident-filter"
          >
            <option value="">all</option>
            <option value="open">open</option>
            <option value="resolved">resolved</option>
          </Select>
        </label>
      }
    >
      {incidents.isPending ? (
        <SkeletonRows rows={3} className="p-4" />
      ) : incidents.isError ? (
        <ErrorState error={incidents.error} retry={() => void incidents.refetch()} />
      ) : incidents.data.items.length === 0 ? (
        <p className="p-4 text-sm text-muted">
          {status ? `No ${status} incidents.` : 'No incidents yet.'}
        </p>
      ) : (
        <IncidentList incidents={incidents.data.items} />
      )}
    </Card>
  );
}
