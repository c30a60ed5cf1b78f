'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import cronstrue from 'cronstrue';
import { Pause, Play } from 'lucide-react';
import Link from 'next/link';
import { PageBody } from '@/components/shell/AppShell';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page';
import { EmptyState, ErrorState, SkeletonRows } from '@/components/ui/states';
import { Tag } from '@/components/ui/status';
import { dateTime, relativeTime } from '@/lib/format';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { StateLabel } from '@/components/ui/StateLabel';

function describeCron(cron: string): string | null {
  try {
    return cronstrue.toString(cron, {
      use24HourTimeFormat: true,
      throwExceptionOnParseError: true,
    });
  } catch {
    return null;
  }
}

/** Every schedule of the team; editors pause and resume them. */
export function SchedulesList() {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const canEdit = useCan('editor');
  const queryClient = useQueryClient();
  const list = useQuery(trpc.schedules.list.queryOptions({ teamSlug: team.slug }));
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.schedules.list.pathKey() }),
      // The workflows list shows each workflow's next fire.
      queryClient.invalidateQueries({ queryKey: trpc.workflows.list.pathKey() }),
    ]);
  const pause = useMutation(trpc.schedules.pause.mutationOptions({ onSettled: refresh }));
  const resume = useMutation(trpc.schedules.resume.mutationOptions({ onSettled: refresh }));
  const busyId =
    (pause.isPending && pause.variables?.scheduleId) ||
    (resume.isPending && resume.variables?.scheduleId) ||
    null;
  const failed = pause.isError ? pause : resume.isError ? resume : null;
  const now = Date.now();

  return (
    <PageBody>
      <PageHeader
        title="Schedules"
        subtitle="Every schedule of the team's workflows: when each fires next and when it fired last."
      />
      {failed ? (
        <p role="alert" className="mb-3 text-sm text-bad">
          Could not {failed === pause ? 'pause' : 'resume'} the schedule:{' '}
          {errorMessage(failed.error)}
        </p>
      ) : null}
      {list.isPending ? (
        <SkeletonRows />
      ) : list.isError ? (
        <ErrorState error={list.error} retry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <EmptyState
          title="No schedules yet"
          action={
            <Link href={href('/workflows')} className="text-fg underline underline-offset-2">
              Go to the workflows
            </Link>
          }
        >
          Add a cron schedule to a workflow (its <code>schedules:</code> in the file, or the
          Schedules section of the editor) and it shows up here.
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-border bg-panel">
          <table className="w-full text-sm" data-testid="schedules-table">
            <caption className="sr-only">Schedules of the team</caption>
            <thead className="border-b border-border text-left text-xs text-muted">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Workflow
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Cron
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Time zone
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Next fire
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Last fire
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  State
                </th>
                {canEdit ? (
                  <th scope="col" className="px-4 py-2">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {list.data.map((s) => {
                const words = describeCron(s.cron);
                const busy = busyId === s.id;
                const label = `schedule ${s.name} of ${s.workflowName}`;
                return (
                  <tr
                    key={s.id}
                    className="border-b border-border last:border-0"
                    data-schedule-id={s.id}
                  >
                    <td className="px-4 py-2.5">
                      <Link href={href(`/workflows/${encodeURIComponent(s.workflowName)}`)}>
                        {s.workflowName}
                      </Link>
                    </td>
                    <td className="px-4 py-2.5">
                      <span className="font-medium">{s.name}</span>
                      {s.source === 'definition' ? (
                        <span className="ml-2" title="Declared in the workflow file">
                          <Tag>file</Tag>
                        </span>
                      ) : null}
                    </td>
                    <td className="px-4 py-2.5">
                      <code className="font-mono text-xs">{s.cron}</code>
                      {words ? <div className="text-xs text-muted">{words}</div> : null}
                    </td>
                    <td className="px-4 py-2.5 text-muted">{s.timezone}</td>
                    <td className="px-4 py-2.5 text-muted" title={dateTime(s.nextFireAt)}>
                      {!s.enabled ? '—' : s.nextFireAt ? relativeTime(s.nextFireAt, now) : 'none'}
                    </td>
                    <td className="px-4 py-2.5 text-muted" title={dateTime(s.lastFireAt)}>
                      {s.lastFireAt ? relativeTime(s.lastFireAt, now) : 'never'}
                    </td>
                    <td className="px-4 py-2.5" data-testid="schedule-state">
                      {s.enabled ? (
                        <StateLabel tone="ok">enabled</StateLabel>
                      ) : (
                        <StateLabel tone="warn">paused</StateLabel>
                      )}
                    </td>
                    {canEdit ? (
                      <td className="px-4 py-2.5 text-right">
                        {s.enabled ? (
                          <Button
                            size="sm"
                            disabled={busy}
                            aria-label={`Pause ${label}`}
                            onClick={() => pause.mutate({ teamSlug: team.slug, scheduleId: s.id })}
                          >
                            <Pause aria-hidden size={12} /> {busy ? 'Pausing…' : 'Pause'}
                          </Button>
                        ) : (
                          <Button
                            size="sm"
                            disabled={busy}
                            aria-label={`Resume ${label}`}
                            onClick={() => resume.mutate({ teamSlug: team.slug, scheduleId: s.id })}
                          >
                            <Play aria-hidden size={12} /> {busy ? 'Resuming…' : 'Resume'}
                          </Button>
                        )}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </PageBody>
  );
}
