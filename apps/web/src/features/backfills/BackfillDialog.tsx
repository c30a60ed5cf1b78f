'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTeam } from '@/components/shell/team';
import { Dialog, FormFooter } from '@/components/ui/dialog';
import { Field, FormAlert, Input, Select, Textarea } from '@/components/ui/input';
import { issuesByField } from '@/features/schedules/formIssues';
import { readParamsText } from '@/features/schedules/paramsJson';
import { TimeZoneSelect, browserTimeZone } from '@/features/schedules/TimeZoneSelect';
import { WorkflowSelect } from '@/features/schedules/WorkflowSelect';
import { errorIssues, errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { BACKFILL_RUN_LIMIT, previewBackfill } from './backfillPreview';
import { fromLocalInput, toLocalInput } from './localDateTime';

const FIELDS = [
  'workflowId',
  'scheduleId',
  'cron',
  'timezone',
  'rangeStart',
  'rangeEnd',
  'params',
  'maxConcurrency',
] as const;
type BackfillField = (typeof FIELDS)[number];
const CUSTOM = 'cron';
const HOUR_MS = 3_600_000;

/**
 * Start a backfill: a workflow run for every instant of one of its schedules (or of a cron in a
 * zone) over a past range, with the logical dates it will run listed before it starts.
 */
export function BackfillDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const team = useTeam();
  const queryClient = useQueryClient();
  const formId = useId();
  const schedules = useQuery(trpc.schedules.list.queryOptions({ teamSlug: team.slug }));
  const [workflowId, setWorkflowId] = useState('');
  /** A schedule's id, CUSTOM, or null: the workflow's first schedule (once the list is here). */
  const [source, setSource] = useState<string | null>(null);
  const [cron, setCron] = useState('0 * * * *');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [from, setFrom] = useState(() => {
    const end = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    return toLocalInput(new Date(end - 24 * HOUR_MS));
  });
  const [to, setTo] = useState(() =>
    toLocalInput(new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS)),
  );
  const [concurrency, setConcurrency] = useState('1');
  const [paramsText, setParamsText] = useState('{}');
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(
    trpc.schedules.backfills.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({
          queryKey: trpc.schedules.backfills.list.pathKey(),
        });
        onClose();
      },
    }),
  );

  const ofWorkflow = useMemo(
    () => (schedules.data ?? []).filter((s) => s.workflowId === workflowId),
    [schedules.data, workflowId],
  );
  const schedule =
    source === null ? (ofWorkflow[0] ?? null) : (ofWorkflow.find((s) => s.id === source) ?? null);
  const timingCron = schedule?.cron ?? cron;
  const timingZone = schedule?.timezone ?? timezone;
  const rangeStart = fromLocalInput(from);
  const rangeEnd = fromLocalInput(to);
  const preview = useMemo(
    () =>
      previewBackfill({
        cron: timingCron,
        timezone: timingZone,
        rangeStart: fromLocalInput(from),
        rangeEnd: fromLocalInput(to),
      }),
    [timingCron, timingZone, from, to],
  );
  const params = useMemo(() => readParamsText(paramsText), [paramsText]);
  const maxConcurrency = Number(concurrency);

  const problems: Partial<Record<BackfillField, string[]>> = {};
  if (!workflowId) problems.workflowId = ['choose a workflow'];
  if (!rangeStart) problems.rangeStart = ['choose when the range starts'];
  if (!rangeEnd) problems.rangeEnd = ['choose when the range ends'];
  if (!preview.ok && preview.field !== 'range') problems[preview.field] = [preview.message];
  if (!params.ok) problems.params = [params.message];
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > 100)
    problems.maxConcurrency = ['a whole number from 1 to 100'];
  const rangeProblem =
    (!preview.ok && preview.field === 'range' && rangeStart && rangeEnd ? preview.message : null) ??
    (preview.ok && preview.tooMany
      ? `more than ${BACKFILL_RUN_LIMIT.toLocaleString('en')} runs: split the range into several backfills`
      : null);

  const server = useMemo(() => {
    if (!create.error) return {};
    const byField = issuesByField(errorIssues(create.error), FIELDS);
    if (Object.keys(byField).length === 0) byField[''] = [errorMessage(create.error)];
    return byField;
  }, [create.error]);
  const live: BackfillField[] = ['cron', 'timezone', 'params', 'maxConcurrency'];
  const errorsOf = (f: BackfillField) => [
    ...((submitted || live.includes(f) ? problems[f] : undefined) ?? []),
    ...(server[f] ?? []),
  ];
  const edit =
    <T,>(setter: (v: T) => void) =>
    (v: T) => {
      setter(v);
      create.reset();
    };

  const chooseWorkflow = (id: string) => {
    setWorkflowId(id);
    setSource(null);
    create.reset();
  };

  const zoneOfDates = preview.ok ? preview.timezone : timingZone;
  const fmt = useMemo(() => dateFormat(zoneOfDates), [zoneOfDates]);
  const viewerZone = useMemo(() => browserTimeZone(), []);

  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title="Start a backfill"
      description="Runs the workflow once for every time its schedule would have fired in a past range, each run with that time as its logical date."
      footer={
        <FormFooter
          formId={formId}
          onCancel={onClose}
          pending={create.isPending}
          testId="backfill-start"
        >
          {create.isPending
            ? 'Starting…'
            : preview.ok && !preview.tooMany
              ? `Start ${preview.total} run${preview.total === 1 ? '' : 's'}`
              : 'Start backfill'}
        </FormFooter>
      }
    >
      <form
        id={formId}
        className="flex flex-col gap-3"
        data-testid="backfill-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(true);
          if (Object.keys(problems).length || rangeProblem || !preview.ok || !params.ok) return;
          if (create.isPending || !rangeStart || !rangeEnd) return;
          create.mutate({
            teamSlug: team.slug,
            workflowId,
            ...(schedule ? { scheduleId: schedule.id } : { cron: cron.trim(), timezone }),
            rangeStart,
            rangeEnd,
            params: params.value,
            maxConcurrency,
          });
        }}
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Workflow" errors={errorsOf('workflowId')}>
            {(a) => (
              <WorkflowSelect
                {...a}
                name="workflowId"
                value={workflowId}
                onChange={(e) => chooseWorkflow(e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Times of"
            hint={schedule ? `${schedule.cron} (${schedule.timezone})` : 'A cron expression below.'}
            errors={errorsOf('scheduleId')}
          >
            {(a) => (
              <Select
                {...a}
                name="source"
                value={schedule ? schedule.id : CUSTOM}
                onChange={(e) => edit<string | null>(setSource)(e.target.value)}
              >
                {ofWorkflow.map((s) => (
                  <option key={s.id} value={s.id}>
                    schedule {s.name}
                  </option>
                ))}
                <option value={CUSTOM}>another cron expression</option>
              </Select>
            )}
          </Field>
        </div>
        {schedule ? null : (
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Cron" errors={errorsOf('cron')}>
              {(a) => (
                <Input
                  {...a}
                  name="cron"
                  className="font-mono"
                  value={cron}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => edit(setCron)(e.target.value)}
                />
              )}
            </Field>
            <Field label="Time zone" errors={errorsOf('timezone')}>
              {(a) => (
                <TimeZoneSelect
                  {...a}
                  name="timezone"
                  value={timezone}
                  onChange={(e) => edit(setTimezone)(e.target.value)}
                />
              )}
            </Field>
          </div>
        )}
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label={`From (your time, ${viewerZone})`}
            hint="Included."
            errors={errorsOf('rangeStart')}
          >
            {(a) => (
              <Input
                {...a}
                type="datetime-local"
                name="rangeStart"
                value={from}
                onChange={(e) => edit(setFrom)(e.target.value)}
              />
            )}
          </Field>
          <Field
            label={`To (your time, ${viewerZone})`}
            hint="Included."
            errors={[...errorsOf('rangeEnd'), ...(rangeProblem ? [rangeProblem] : [])]}
          >
            {(a) => (
              <Input
                {...a}
                type="datetime-local"
                name="rangeEnd"
                value={to}
                onChange={(e) => edit(setTo)(e.target.value)}
              />
            )}
          </Field>
        </div>
        <section
          aria-label="Logical dates of the backfill"
          aria-live="polite"
          className="rounded-md border border-border bg-panel-2 px-3 py-2 text-xs"
          data-testid="backfill-preview"
        >
          {preview.ok ? (
            <>
              <div className="font-medium" data-testid="backfill-preview-total">
                {preview.tooMany
                  ? `More than ${BACKFILL_RUN_LIMIT.toLocaleString('en')} logical dates`
                  : `${preview.total} logical date${preview.total === 1 ? '' : 's'}`}{' '}
                ({preview.timezone})
              </div>
              <ol className="mt-1 ml-4 list-decimal text-muted">
                {preview.shown.map((d) => (
                  <li key={d.toISOString()}>{fmt.format(d)}</li>
                ))}
              </ol>
              {preview.more > 0 ? (
                <div className="mt-1 text-muted">
                  and {preview.tooMany ? 'more than ' : ''}
                  {preview.more.toLocaleString('en')} more
                </div>
              ) : null}
            </>
          ) : (
            <span className="text-muted">{preview.message}</span>
          )}
        </section>
        <div className="grid gap-3 sm:grid-cols-[10rem_minmax(0,1fr)]">
          <Field label="Runs at a time" hint="1 to 100." errors={errorsOf('maxConcurrency')}>
            {(a) => (
              <Input
                {...a}
                type="number"
                name="maxConcurrency"
                min={1}
                max={100}
                step={1}
                value={concurrency}
                onChange={(e) => edit(setConcurrency)(e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Params (JSON)"
            hint={
              schedule
                ? "Merged over the schedule's params."
                : "The workflow's defaults fill the rest."
            }
            errors={errorsOf('params')}
          >
            {(a) => (
              <Textarea
                {...a}
                name="params"
                rows={2}
                className="font-mono text-xs"
                spellCheck={false}
                value={paramsText}
                onChange={(e) => edit(setParamsText)(e.target.value)}
              />
            )}
          </Field>
        </div>
        <FormAlert errors={server['']} testId="backfill-form-error" />
      </form>
    </Dialog>
  );
}

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: '2-digit',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
  } catch {
    return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  }
}
