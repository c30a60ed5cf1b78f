'use client';
import { useMutation, useQuery } from '@tanstack/react-query';
import { RotateCcw, X } from 'lucide-react';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Card } from '@/components/ui/page';
import { StatusBadge } from '@/components/ui/status';
import { LogViewer } from '@/features/logs/LogViewer';
import { dateTime, durationMs } from '@/lib/format';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import type { RunView } from './liveRun';
import { elapsedMs } from './runFormat';

type TaskView = RunView['tasks'][number];

/** Names a task's environment gets (values of secrets are never sent to the browser). */
export interface TaskEnvNames {
  env: string[];
  secrets: string[];
}

/**
 * One task of the run: its attempts, output, environment names and logs; editors rerun it
 * (alone or with what depends on it) once the run has ended.
 */
export function TaskPanel({
  run,
  task,
  envNames,
  active,
  onClose,
}: {
  run: RunView;
  task: TaskView;
  envNames: TaskEnvNames;
  active: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const href = useTeamHref();
  const canEdit = useCan('editor');
  const logsExpiredAfter = useLogsExpiredAfter(run.finishedAt);
  const [confirm, setConfirm] = useState<null | { downstream: boolean }>(null);
  const rerun = useMutation(
    trpc.runs.rerun.mutationOptions({
      onSuccess: (r) => router.push(href(`/runs/${r.id}`)),
    }),
  );
  const rerunWhy = !canEdit
    ? 'Only editors can rerun tasks'
    : active
      ? 'The run is still active: rerun once it has ended'
      : null;
  return (
    <Card
      title={
        <span className="flex items-center gap-2">
          <span className="font-mono" data-testid="task-panel-title">
            {task.key}
          </span>
          <StatusBadge status={task.status} />
        </span>
      }
      actions={
        <Button variant="ghost" onClick={onClose} aria-label="Close task panel">
          <X aria-hidden size={14} />
        </Button>
      }
    >
      <div className="flex flex-col gap-4 text-sm" data-testid="task-panel">
        <div className="text-xs text-muted">
          {task.kind} · pool {task.pool} · attempt {task.attempts} of {task.maxAttempts}
        </div>
        <div className="flex flex-wrap gap-2">
          <Button
            disabled={rerunWhy !== null || rerun.isPending}
            title={rerunWhy ?? undefined}
            onClick={() => setConfirm({ downstream: false })}
            data-testid="rerun-task"
          >
            <RotateCcw aria-hidden size={14} /> Rerun this task
          </Button>
          <Button
            disabled={rerunWhy !== null || rerun.isPending}
            title={rerunWhy ?? undefined}
            onClick={() => setConfirm({ downstream: true })}
            data-testid="rerun-task-downstream"
          >
            <RotateCcw aria-hidden size={14} /> Rerun with downstream
          </Button>
        </div>
        {rerunWhy && canEdit ? <p className="text-xs text-muted">{rerunWhy}.</p> : null}
        {rerun.isError ? (
          <p role="alert" className="text-bad">
            Could not rerun: {errorMessage(rerun.error)}
          </p>
        ) : null}

        <section>
          <h3 className="mb-1 text-xs font-medium text-muted">Attempts</h3>
          {task.attemptHistory.length === 0 ? (
            <p className="text-muted">No attempt yet.</p>
          ) : (
            <div className="overflow-x-auto">
              <table className="w-full text-xs" data-testid="task-attempts">
                <thead className="text-left text-muted">
                  <tr>
                    <th className="py-1 pr-3 font-medium">#</th>
                    <th className="py-1 pr-3 font-medium">Status</th>
                    <th className="py-1 pr-3 font-medium">Started</th>
                    <th className="py-1 pr-3 font-medium">Duration</th>
                    <th className="py-1 pr-3 font-medium">Exit / HTTP</th>
                    <th className="py-1 font-medium">Worker</th>
                  </tr>
                </thead>
                <tbody>
                  {task.attemptHistory.map((a) => (
                    <tr key={a.number} className="border-t border-border align-top">
                      <td className="py-1 pr-3 tabular-nums">{a.number}</td>
                      <td className="py-1 pr-3">
                        <StatusBadge status={a.status} />
                        {a.error ? (
                          <div
                            className="mt-1 line-clamp-3 whitespace-pre-wrap text-bad"
                            title={a.error}
                          >
                            {a.error}
                          </div>
                        ) : null}
                      </td>
                      <td className="py-1 pr-3 text-muted">{dateTime(a.startedAt)}</td>
                      <td className="py-1 pr-3 tabular-nums">
                        {durationMs(elapsedMs(a.startedAt, a.finishedAt))}
                      </td>
                      <td className="py-1 pr-3 tabular-nums">
                        {a.exitCode ?? a.httpStatus ?? '—'}
                      </td>
                      <td className="py-1 font-mono text-muted" title={a.workerId ?? undefined}>
                        {a.workerId ? a.workerId.slice(0, 8) : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section>
          <h3 className="mb-1 text-xs font-medium text-muted">Environment</h3>
          {envNames.env.length + envNames.secrets.length === 0 ? (
            <p className="text-muted">No variables of its own.</p>
          ) : (
            <ul className="flex flex-wrap gap-1.5 font-mono text-xs" data-testid="task-env">
              {envNames.env.map((n) => (
                <li key={`e-${n}`} className="rounded border border-border px-1.5 py-0.5">
                  {n}
                </li>
              ))}
              {envNames.secrets.map((n) => (
                <li
                  key={`s-${n}`}
                  className="rounded border border-border px-1.5 py-0.5"
                  title="From a secret: the value is never shown"
                >
                  {n} <span className="text-muted">(secret)</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section>
          <h3 className="mb-1 text-xs font-medium text-muted">Output</h3>
          {task.output === null || task.output === undefined ? (
            <p className="text-muted">No output.</p>
          ) : (
            <pre
              tabIndex={0}
              aria-label={`Output of ${task.key}`}
              className="max-h-64 overflow-auto rounded-md bg-panel-2 p-3 font-mono text-xs"
              data-testid="task-output"
            >
              {JSON.stringify(task.output, null, 2)}
            </pre>
          )}
        </section>

        <section>
          <h3 className="mb-1 text-xs font-medium text-muted">Logs</h3>
          {task.attemptHistory.length === 0 ? (
            <p className="text-muted">Logs appear when the task starts.</p>
          ) : (
            <LogViewer
              key={`${run.id}/${task.key}`}
              runId={run.id}
              task={task.key}
              attempts={task.attemptHistory}
              active={active}
              height={380}
              expiredAfterDays={logsExpiredAfter}
            />
          )}
        </section>
      </div>
      <ConfirmDialog
        open={confirm !== null}
        onOpenChange={(open) => (open ? null : setConfirm(null))}
        title={confirm?.downstream ? `Rerun ${task.key} and its downstream?` : `Rerun ${task.key}?`}
        description={
          confirm?.downstream
            ? 'A new run of the same version and params runs this task and every task that depends on it; the others keep this run’s results.'
            : 'A new run of the same version and params runs this task alone; the others keep this run’s results.'
        }
        confirmLabel="Rerun"
        onConfirm={() =>
          rerun.mutate({
            runId: run.id,
            mode: { task: task.key, downstream: confirm?.downstream ?? false },
          })
        }
      />
    </Card>
  );
}

/**
 * The team's log retention in days when it has passed for a run that ended at `finishedAt`
 * (its log lines were removed), else null. Only asked of ended runs.
 */
function useLogsExpiredAfter(finishedAt: Date | string | null): number | null {
  const trpc = useTRPC();
  const team = useTeam();
  const retention = useQuery({
    ...trpc.teams.retention.queryOptions({ teamSlug: team.slug }),
    enabled: finishedAt !== null,
    staleTime: 5 * 60_000,
  });
  const days = retention.data?.logRetentionDays ?? null;
  if (finishedAt === null || days === null) return null;
  return new Date(finishedAt).getTime() < Date.now() - days * 86_400_000 ? days : null;
}
