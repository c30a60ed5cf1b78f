'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';
import { errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { isActiveRun } from './runFormat';
import { BULK_MAX_RUNS, bulkOutcome, isRerunnable, plural, type BulkRow } from './runsBulk';
import type { RunFilterInput } from './runFilters';

type Action = 'cancel' | 'rerun';

type Matching =
  | { action: Action; step: 'counting' }
  | { action: Action; step: 'confirm'; count: number; filter: RunFilterInput }
  | { action: Action; step: 'failed'; error: string };

interface Result {
  action: Action;
  done: number;
  skipped: { runId: string; message: string }[];
}

/**
 * The action bar of the runs list: cancel or rerun the selected runs, or every run matching the
 * filter (after showing the server's exact count and asking to confirm it).
 */
export function RunsBulkActions({
  teamSlug,
  rows,
  selected,
  clearSelection,
  frozenFilter,
  filterProblem,
}: {
  teamSlug: string;
  /** The rows shown, to name runs in messages. */
  rows: readonly BulkRow[];
  /** The selected rows. */
  selected: readonly BulkRow[];
  clearSelection: () => void;
  /** The list filter fixed at this moment (an open end becomes now). */
  frozenFilter: () => RunFilterInput;
  /** Why the filter cannot be used (a bad time range); null when it can. */
  filterProblem: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<Action | null>(null);
  const [matching, setMatching] = useState<Matching | null>(null);
  const [result, setResult] = useState<Result | null>(null);

  const settle = (action: Action) => ({
    onSuccess: (r: { done: number; skipped: { runId: string; message: string }[] }) => {
      setResult({ action, done: r.done, skipped: r.skipped });
      clearSelection();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.runs.list.pathKey() }),
  });
  const cancelMany = useMutation(trpc.runs.cancelMany.mutationOptions(settle('cancel')));
  const rerunMany = useMutation(trpc.runs.rerunMany.mutationOptions(settle('rerun')));
  const busy = cancelMany.isPending || rerunMany.isPending;
  const failed = cancelMany.error ?? rerunMany.error;

  const cancellable = selected.filter((r) => isActiveRun(r.status));
  const rerunnable = selected.filter((r) => isRerunnable(r.status));

  const run = (action: Action, input: Parameters<typeof cancelMany.mutate>[0]) => {
    setResult(null);
    cancelMany.reset();
    rerunMany.reset();
    if (action === 'cancel') cancelMany.mutate(input);
    else rerunMany.mutate(input);
  };

  const countMatching = async (action: Action) => {
    setResult(null);
    const filter = frozenFilter();
    setMatching({ action, step: 'counting' });
    try {
      const { count } = await queryClient.fetchQuery({
        ...trpc.runs.count.queryOptions({ teamSlug, ...filter }),
        staleTime: 0,
      });
      setMatching({ action, step: 'confirm', count, filter });
    } catch (error) {
      setMatching({ action, step: 'failed', error: errorMessage(error) });
    }
  };

  const verb = (action: Action) => (action === 'cancel' ? 'Cancel' : 'Rerun the failed part of');

  return (
    <div className="mb-3 flex flex-col gap-2">
      <div
        role="group"
        aria-label="Bulk actions"
        className="flex flex-wrap items-center gap-2 rounded-lg border border-border bg-panel px-3 py-2"
        data-testid="bulk-bar"
      >
        <span className="text-sm text-muted" data-testid="bulk-selected">
          {selected.length ? `${plural(selected.length, 'run')} selected` : 'No run selected'}
        </span>
        <Button
          size="sm"
          variant="danger"
          disabled={busy || cancellable.length === 0}
          title={
            selected.length && !cancellable.length
              ? 'None of the selected runs is queued or running'
              : undefined
          }
          onClick={() => setConfirm('cancel')}
          data-testid="bulk-cancel"
        >
          Cancel {plural(cancellable.length, 'run')}
        </Button>
        <Button
          size="sm"
          disabled={busy || rerunnable.length === 0}
          title={
            selected.length && !rerunnable.length
              ? 'None of the selected runs ended with a failed part'
              : undefined
          }
          onClick={() => setConfirm('rerun')}
          data-testid="bulk-rerun"
        >
          Rerun failed part of {plural(rerunnable.length, 'run')}
        </Button>
        {selected.length ? (
          <Button size="sm" variant="ghost" onClick={clearSelection}>
            Clear selection
          </Button>
        ) : null}
        <span className="mx-1 hidden h-5 w-px bg-border sm:inline-block" aria-hidden />
        <span className="text-xs text-muted">Every run matching the filter:</span>
        <Button
          size="sm"
          disabled={busy || matching?.step === 'counting' || filterProblem !== null}
          title={filterProblem ?? undefined}
          onClick={() => void countMatching('cancel')}
          data-testid="bulk-cancel-matching"
        >
          Cancel all…
        </Button>
        <Button
          size="sm"
          disabled={busy || matching?.step === 'counting' || filterProblem !== null}
          title={filterProblem ?? undefined}
          onClick={() => void countMatching('rerun')}
          data-testid="bulk-rerun-matching"
        >
          Rerun failed part of all…
        </Button>
      </div>

      <div
        role="status"
        aria-live="polite"
        className="text-sm empty:hidden"
        data-testid="bulk-result"
      >
        {busy ? (
          <span className="text-muted">Working…</span>
        ) : failed ? (
          <span className="text-bad">Nothing was done: {errorMessage(failed)}</span>
        ) : matching?.step === 'counting' ? (
          <span className="text-muted">Counting the matching runs…</span>
        ) : matching?.step === 'failed' ? (
          <span className="text-bad">Could not count the matching runs: {matching.error}</span>
        ) : result ? (
          <BulkResult result={result} rows={rows} />
        ) : null}
      </div>

      <ConfirmDialog
        open={confirm === 'cancel'}
        onOpenChange={(open) => setConfirm(open ? 'cancel' : null)}
        title={`Cancel ${plural(cancellable.length, 'run')}?`}
        description="Tasks that have not started are cancelled at once; running tasks are stopped by their workers. Cleanup tasks (trigger rule “always”) still run."
        confirmLabel={`Cancel ${plural(cancellable.length, 'run')}`}
        danger
        onConfirm={() => run('cancel', { teamSlug, runIds: cancellable.map((r) => r.id) })}
      />
      <ConfirmDialog
        open={confirm === 'rerun'}
        onOpenChange={(open) => setConfirm(open ? 'rerun' : null)}
        title={`Rerun the failed part of ${plural(rerunnable.length, 'run')}?`}
        description="Each becomes a new run of the same version and params; tasks that succeeded are copied with their outputs, the others run again."
        confirmLabel={`Rerun ${plural(rerunnable.length, 'run')}`}
        onConfirm={() => run('rerun', { teamSlug, runIds: rerunnable.map((r) => r.id) })}
      />
      <Dialog
        open={matching?.step === 'confirm'}
        onOpenChange={(open) => {
          if (!open) setMatching(null);
        }}
        title={
          matching?.step === 'confirm'
            ? matching.count === 0
              ? 'No run matches the filter'
              : `${verb(matching.action)} ${plural(matching.count, 'run')} matching the filter?`
            : 'Every run matching the filter'
        }
        description={
          matching?.step !== 'confirm'
            ? undefined
            : matching.count === 0
              ? 'Change the filter to choose runs.'
              : matching.count > BULK_MAX_RUNS
                ? `${plural(matching.count, 'run')} match; one action takes at most ${BULK_MAX_RUNS.toLocaleString('en')}. Narrow the filter (a shorter time range, a workflow, a status).`
                : matching.action === 'cancel'
                  ? `Exactly ${plural(matching.count, 'run')} match the filter now. Runs that have already ended are skipped. If the number changes before you confirm, nothing is done.`
                  : `Exactly ${plural(matching.count, 'run')} match the filter now. Runs still active, and runs where every task succeeded, are skipped. If the number changes before you confirm, nothing is done.`
        }
        footer={
          matching?.step === 'confirm' ? (
            <>
              <Button onClick={() => setMatching(null)}>
                {matching.count === 0 || matching.count > BULK_MAX_RUNS ? 'Close' : 'Back'}
              </Button>
              {matching.count > 0 && matching.count <= BULK_MAX_RUNS ? (
                <Button
                  variant={matching.action === 'cancel' ? 'danger' : 'primary'}
                  data-testid="bulk-matching-confirm"
                  onClick={() => {
                    const { action, filter, count } = matching;
                    setMatching(null);
                    run(action, { teamSlug, filter, expectedCount: count });
                  }}
                >
                  {matching.action === 'cancel' ? 'Cancel' : 'Rerun'}{' '}
                  {plural(matching.count, 'run')}
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
    </div>
  );
}

function BulkResult({ result, rows }: { result: Result; rows: readonly BulkRow[] }) {
  const { summary, skipped } = bulkOutcome(result.action, result.done, result.skipped, rows);
  return (
    <div>
      <span>{summary}</span>
      {skipped.length ? (
        <ul className="mt-1 list-disc pl-5 text-xs text-muted">
          {skipped.map((s) => (
            <li key={s.runId}>
              {s.label}: {s.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
