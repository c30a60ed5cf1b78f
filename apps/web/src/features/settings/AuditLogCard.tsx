'use client';
import { AUDIT_ACTIONS } from '@dtss/api/forms';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { KeyRound, User } from 'lucide-react';
import { useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';
import { useCan, useTeam } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { Card } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { DataTable } from '@/components/ui/table';
import { dateTime, relativeTime } from '@/lib/format';
import { replaceSearchParams } from '@/lib/searchParams';
import { useTRPC } from '@/trpc/react';
import { auditFiltersOf, auditInputOf, type AuditUrlFilters } from './auditFilters';
import { NeedsAdmin } from './NeedsAdmin';

/** What changed, as short `key: value` text (values are never HTML). */
function summaryText(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/**
 * The team's audit trail for admins, newest first, 50 at a time ("Load more"), filtered by actor,
 * action and time; the filters live in the URL (`?actor=&action=&from=&to=`).
 */
export function AuditLogCard() {
  const team = useTeam();
  const isAdmin = useCan('admin');
  return (
    <Card title="Audit log">
      {isAdmin ? <AuditLog /> : <NeedsAdmin role={team.role}>Reading the audit log</NeedsAdmin>}
    </Card>
  );
}

function AuditLog() {
  const trpc = useTRPC();
  const team = useTeam();
  const params = useSearchParams();
  const filters = auditFiltersOf(params);
  const [actorText, setActorText] = useState(filters.actor);

  // The actor box writes the URL a moment after typing stops; the URL drives the query.
  useEffect(() => {
    if (actorText === filters.actor) return;
    const t = setTimeout(() => replaceSearchParams({ actor: actorText }), 300);
    return () => clearTimeout(t);
  }, [actorText, filters.actor]);

  const parsed = auditInputOf(filters);
  const log = useInfiniteQuery({
    ...trpc.audit.list.infiniteQueryOptions(
      { teamSlug: team.slug, limit: 50, ...(parsed.ok ? parsed.input : {}) },
      { getNextPageParam: (page) => page.nextCursor },
    ),
    enabled: parsed.ok,
    placeholderData: keepPreviousData,
  });
  const items = log.data?.pages.flatMap((p) => p.items) ?? [];
  const errors = parsed.ok ? {} : parsed.errors;
  const set = (change: Partial<AuditUrlFilters>) => replaceSearchParams(change);
  const filtered = Boolean(filters.actor || filters.action || filters.from || filters.to);

  return (
    <div className="flex flex-col gap-4">
      <form
        className="flex flex-wrap items-start gap-3"
        aria-label="Filter the audit log"
        data-testid="audit-filters"
        onSubmit={(e) => e.preventDefault()}
      >
        <Field label="Actor" hint="Part of an email or token name" className="w-60">
          {(a) => (
            <Input
              {...a}
              type="search"
              value={actorText}
              placeholder="ada@ or nightly-ci"
              autoComplete="off"
              onChange={(e) => setActorText(e.target.value)}
              data-testid="audit-actor"
            />
          )}
        </Field>
        <Field label="Action" className="w-56">
          {(a) => (
            <Select
              {...a}
              value={filters.action}
              onChange={(e) => set({ action: e.target.value })}
              data-testid="audit-action"
            >
              <option value="">All actions</option>
              {Object.entries(AUDIT_ACTIONS).map(([area, actions]) => (
                <optgroup key={area} label={area}>
                  <option value={area}>{`${area}: any`}</option>
                  {actions.map((action) => (
                    <option key={action} value={action}>
                      {action}
                    </option>
                  ))}
                </optgroup>
              ))}
            </Select>
          )}
        </Field>
        <Field label="From" errors={errors.from} className="w-52">
          {(a) => (
            <Input
              {...a}
              type="datetime-local"
              value={filters.from}
              onChange={(e) => set({ from: e.target.value })}
              data-testid="audit-from"
            />
          )}
        </Field>
        <Field label="To" errors={errors.to} className="w-52">
          {(a) => (
            <Input
              {...a}
              type="datetime-local"
              value={filters.to}
              onChange={(e) => set({ to: e.target.value })}
              data-testid="audit-to"
            />
          )}
        </Field>
        {filtered ? (
          <Button
            className="mt-5"
            onClick={() => {
              setActorText('');
              set({ actor: '', action: '', from: '', to: '' });
            }}
            data-testid="audit-clear"
          >
            Clear filters
          </Button>
        ) : null}
      </form>

      {!parsed.ok ? (
        <p className="text-sm text-muted">Fix the filters above to see entries.</p>
      ) : log.isPending ? (
        <SkeletonRows rows={4} />
      ) : log.isError ? (
        <ErrorState error={log.error} retry={() => void log.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={filtered ? 'No entries match' : 'Nothing recorded yet'}>
          {filtered
            ? 'No audit entries match these filters; widen the time range or clear them.'
            : 'Changes to members, tokens, secrets, workflows, schedules and runs are recorded here.'}
        </EmptyState>
      ) : (
        <>
          <DataTable
            caption="Audit log entries, newest first"
            testId="audit-table"
            framed={false}
            columns={[
              { label: 'When' },
              { label: 'Actor' },
              { label: 'Action' },
              { label: 'Details' },
              { label: 'IP' },
            ]}
          >
            {items.map((e) => (
              <tr
                key={e.id}
                className="border-b border-border align-top last:border-0"
                data-testid="audit-row"
                data-action={e.action}
              >
                <td
                  className="px-4 py-2 whitespace-nowrap text-muted"
                  title={dateTime(e.createdAt)}
                >
                  {relativeTime(e.createdAt)}
                </td>
                <td className="px-4 py-2 whitespace-nowrap" data-testid="audit-actor-cell">
                  {e.actorTokenId ? (
                    <span className="inline-flex items-center gap-1.5">
                      <KeyRound aria-hidden size={12} className="text-muted" />
                      <span>token {e.actorTokenName ?? '(deleted)'}</span>
                    </span>
                  ) : e.actorUserId ? (
                    <span className="inline-flex items-center gap-1.5">
                      <User aria-hidden size={12} className="text-muted" />
                      {e.actorEmail ?? '(deleted user)'}
                    </span>
                  ) : (
                    <span className="text-muted">system</span>
                  )}
                </td>
                <td className="px-4 py-2">
                  <code className="font-mono text-xs">{e.action}</code>
                </td>
                <td className="max-w-md px-4 py-2 text-xs break-words text-muted">
                  {summaryText(e.summary) || '—'}
                </td>
                <td className="px-4 py-2 font-mono text-xs text-muted">{e.ip ?? '—'}</td>
              </tr>
            ))}
          </DataTable>
          {log.hasNextPage ? (
            <div>
              <Button
                onClick={() => void log.fetchNextPage()}
                disabled={log.isFetchingNextPage}
                data-testid="audit-more"
              >
                {log.isFetchingNextPage ? 'Loading…' : 'Load more'}
              </Button>
            </div>
          ) : null}
        </>
      )}
    </div>
  );
}
