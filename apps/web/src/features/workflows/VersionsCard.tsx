'use client';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTeam } from '@/components/shell/team';
import { Card } from '@/components/ui/page';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { relativeTime, dateTime } from '@/lib/format';
import { useTRPC } from '@/trpc/react';
import { DiffView } from './DiffView';

/** The workflow's versions; any two compared as a unified or side-by-side diff. */
export function VersionsCard({ workflowId }: { workflowId: string }) {
  const trpc = useTRPC();
  useTeam();
  const versions = useQuery(trpc.versions.list.queryOptions({ workflowId }));
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);
  useEffect(() => {
    const list = versions.data;
    if (!list || list.length < 2 || from || to) return;
    setTo(list[0]!.id);
    setFrom(list[1]!.id);
  }, [versions.data, from, to]);

  return (
    <Card title="Versions">
      {versions.isPending ? (
        <SkeletonRows rows={3} />
      ) : versions.isError ? (
        <ErrorState error={versions.error} />
      ) : (
        <div className="flex flex-col gap-3">
          <ul className="flex max-h-56 flex-col overflow-auto text-sm" data-testid="versions-list">
            {versions.data.map((v) => (
              <li
                key={v.id}
                className="flex items-center justify-between border-b border-border py-1.5 last:border-0"
              >
                <span>
                  <span className="font-medium">v{v.version}</span>
                  {v.current ? <span className="ml-1.5 text-xs text-ok">current</span> : null}
                  <span className="ml-2 text-xs text-muted" title={dateTime(v.createdAt)}>
                    {relativeTime(v.createdAt)}
                    {v.createdByEmail ? ` by ${v.createdByEmail}` : ''}
                  </span>
                </span>
              </li>
            ))}
          </ul>
          {versions.data.length >= 2 ? (
            <>
              <div className="flex items-center gap-2 text-xs">
                <label className="flex items-center gap-1">
                  From
                  <select
                    aria-label="Compare from version"
                    className="rounded border border-border bg-bg px-1 py-0.5"
                    value={from ?? ''}
                    onChange={(e) => setFrom(e.target.value)}
                  >
                    {versions.data.map((v) => (
                      <option key={v.id} value={v.id}>
                        v{v.version}
                      </option>
                    ))}
                  </select>
                </label>
                <label className="flex items-center gap-1">
                  to
                  <select
                    aria-label="Compare to version"
                    className="rounded border border-border bg-bg px-1 py-0.5"
                    value={to ?? ''}
                    onChange={(e) => setTo(e.target.value)}
                  >
                    {versions.data.map((v) => (
                      <option key={v.id} value={v.id}>
                        v{v.version}
                      </option>
                    ))}
                  </select>
                </label>
              </div>
              {from && to ? <VersionDiff from={from} to={to} /> : null}
            </>
          ) : (
            <p className="text-xs text-muted">A second version can be compared with this one.</p>
          )}
        </div>
      )}
    </Card>
  );
}

function VersionDiff({ from, to }: { from: string; to: string }) {
  const trpc = useTRPC();
  const diff = useQuery(trpc.versions.diff.queryOptions({ fromVersionId: from, toVersionId: to }));
  if (diff.isPending) return <SkeletonRows rows={3} />;
  if (diff.isError) return <ErrorState error={diff.error} />;
  if (diff.data.identical)
    return <p className="text-xs text-muted">The two versions have the same definition.</p>;
  return <DiffView patch={diff.data.diff} />;
}
