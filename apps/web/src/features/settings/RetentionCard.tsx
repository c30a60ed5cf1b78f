'use client';
import { retentionFields } from '@dtss/api/forms';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useCan, useTeam } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Field, FormAlert, Input } from '@/components/ui/input';
import { Card } from '@/components/ui/page';
import { ErrorState, SkeletonRows } from '@/components/ui/states';
import { useTRPC } from '@/trpc/react';
import { mergeErrors, schemaErrors, serverErrors, type FieldErrors } from './formErrors';

type Days = number | null;
const FIELDS = ['logRetentionDays', 'runRetentionDays'] as const;

const shown = (days: Days) => (days === null ? 'forever' : `${days} day${days === 1 ? '' : 's'}`);

/**
 * How long the team keeps the log lines of finished runs and the finished runs themselves. The
 * scheduler's leader deletes what is older, a little at a time; admins change it.
 */
export function RetentionCard() {
  const trpc = useTRPC();
  const team = useTeam();
  const isAdmin = useCan('admin');
  const q = useQuery(trpc.teams.retention.queryOptions({ teamSlug: team.slug }));
  return (
    <Card title="Retention">
      {q.isPending ? (
        <SkeletonRows rows={2} />
      ) : q.isError ? (
        <ErrorState error={q.error} retry={() => void q.refetch()} />
      ) : (
        <div className="flex flex-col gap-4">
          <p className="text-sm text-muted">
            Older data is deleted in small batches by the scheduler, within a minute of a change.
            Dashboard figures of deleted runs stay (they are kept per hour).
          </p>
          <dl
            className="grid grid-cols-[max-content_minmax(0,1fr)] gap-x-6 gap-y-2 text-sm"
            data-testid="retention-details"
          >
            <dt className="text-muted">Log lines of finished runs</dt>
            <dd data-testid="retention-logs">{shown(q.data.logRetentionDays)}</dd>
            <dt className="text-muted">Finished runs (tasks, attempts, outputs, logs)</dt>
            <dd data-testid="retention-runs">{shown(q.data.runRetentionDays)}</dd>
          </dl>
          {isAdmin ? (
            <RetentionForm
              key={`${q.data.logRetentionDays}/${q.data.runRetentionDays}`}
              current={q.data}
            />
          ) : null}
        </div>
      )}
    </Card>
  );
}

/** '' keeps forever; anything else must read as a number (the schema then checks it). */
function parseDays(text: string): Days | 'invalid' {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : 'invalid';
}

function RetentionForm({
  current,
}: {
  current: { logRetentionDays: Days; runRetentionDays: Days };
}) {
  const trpc = useTRPC();
  const team = useTeam();
  const queryClient = useQueryClient();
  const [text, setText] = useState({
    logRetentionDays: current.logRetentionDays?.toString() ?? '',
    runRetentionDays: current.runRetentionDays?.toString() ?? '',
  });
  const [submitted, setSubmitted] = useState(false);
  const save = useMutation(
    trpc.teams.setRetention.mutationOptions({
      onSuccess: async (saved) => {
        setSubmitted(false);
        queryClient.setQueryData(trpc.teams.retention.queryKey({ teamSlug: team.slug }), saved);
        await queryClient.invalidateQueries({ queryKey: trpc.audit.list.pathKey() });
      },
    }),
  );
  const parsed = {
    logRetentionDays: parseDays(text.logRetentionDays),
    runRetentionDays: parseDays(text.runRetentionDays),
  };
  const local: FieldErrors = {};
  for (const f of FIELDS) {
    if (parsed[f] === 'invalid') local[f] = ['a whole number of days, or empty to keep forever'];
  }
  const value =
    parsed.logRetentionDays !== 'invalid' && parsed.runRetentionDays !== 'invalid'
      ? { logRetentionDays: parsed.logRetentionDays, runRetentionDays: parsed.runRetentionDays }
      : null;
  if (value) Object.assign(local, schemaErrors(retentionFields, value));
  const server = serverErrors(save.error, FIELDS);
  const errorsOf = mergeErrors(local, server, submitted);
  const unchanged =
    value !== null &&
    value.logRetentionDays === current.logRetentionDays &&
    value.runRetentionDays === current.runRetentionDays;

  return (
    <form
      className="flex flex-wrap items-start gap-2 border-t border-border pt-4"
      aria-label="Change the retention"
      data-testid="retention-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setSubmitted(true);
        if (!value || Object.keys(local).length || save.isPending || unchanged) return;
        save.mutate({ teamSlug: team.slug, ...value });
      }}
    >
      {FIELDS.map((f) => (
        <Field
          key={f}
          label={f === 'logRetentionDays' ? 'Keep log lines (days)' : 'Keep finished runs (days)'}
          hint={`Empty keeps them forever. Default ${f === 'logRetentionDays' ? 30 : 90}.`}
          errors={errorsOf(f)}
          className="w-56"
        >
          {(a) => (
            <Input
              {...a}
              name={f}
              inputMode="numeric"
              value={text[f]}
              placeholder="forever"
              autoComplete="off"
              onChange={(e) => {
                setText((t) => ({ ...t, [f]: e.target.value }));
                save.reset();
              }}
              data-testid={`retention-${f}`}
            />
          )}
        </Field>
      ))}
      <Button
        type="submit"
        disabled={save.isPending || unchanged}
        title={unchanged ? 'Change a value first' : undefined}
        className="mt-5"
        data-testid="retention-save"
      >
        {save.isPending ? 'Saving…' : 'Save'}
      </Button>
      <div className="basis-full empty:hidden">
        <FormAlert errors={server['']} />
      </div>
      <span role="status" className="sr-only">
        {save.isSuccess
          ? `Log lines are kept ${shown(save.data.logRetentionDays)}, runs ${shown(save.data.runRetentionDays)}.`
          : ''}
      </span>
    </form>
  );
}
