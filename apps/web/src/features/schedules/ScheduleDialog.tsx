'use client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTeam } from '@/components/shell/team';
import { Dialog, FormFooter } from '@/components/ui/dialog';
import { Field, FormAlert, Input, Select, Textarea } from '@/components/ui/input';
import { CronPreview } from '@/features/editor/panel/ScheduleEditor';
import { errorCode, errorIssues, errorMessage } from '@/trpc/errors';
import { useTRPC } from '@/trpc/react';
import { issuesByField } from './formIssues';
import { CATCHUP_OPTIONS, OVERLAP_OPTIONS, catchupOption, overlapOption } from './policies';
import {
  SCHEDULE_FIELDS,
  changedFields,
  createFields,
  draftOfSchedule,
  draftProblems,
  newScheduleDraft,
  type ScheduleDraft,
  type ScheduleField,
} from './scheduleForm';
import { TimeZoneSelect, browserTimeZone } from './TimeZoneSelect';
import type { ScheduleRow } from './types';
import { WorkflowSelect } from './WorkflowSelect';

/**
 * Create a schedule, or edit one made in the UI: workflow, cron with its next five fires in the
 * chosen zone, overlap and catch-up policies, params. The server's refusals land on their fields
 * and the dialog stays open with everything typed.
 */
export function ScheduleDialog({
  schedule,
  onClose,
}: {
  /** null: a new schedule. */
  schedule: ScheduleRow | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const team = useTeam();
  const queryClient = useQueryClient();
  const formId = useId();
  const [draft, setDraft] = useState<ScheduleDraft>(() =>
    schedule ? draftOfSchedule(schedule) : newScheduleDraft(browserTimeZone()),
  );
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<unknown>(null);
  const problems = useMemo(() => draftProblems(draft), [draft]);

  const done = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.schedules.list.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.workflows.list.pathKey() }),
    ]);
    onClose();
  };
  const create = useMutation(
    trpc.schedules.create.mutationOptions({ onSuccess: done, onError: setServerError }),
  );
  const update = useMutation(
    trpc.schedules.update.mutationOptions({ onSuccess: done, onError: setServerError }),
  );
  const pending = create.isPending || update.isPending;

  const server = useMemo(() => {
    if (!serverError) return {};
    const byField = issuesByField(errorIssues(serverError), SCHEDULE_FIELDS);
    if (Object.keys(byField).length === 0) {
      // A refusal without field issues: a taken name belongs to the name, the rest to the form.
      const key = errorCode(serverError) === 'CONFLICT' && !schedule ? 'name' : '';
      byField[key] = [errorMessage(serverError)];
    }
    return byField;
  }, [serverError, schedule]);
  // Before a first Save only the fields people are typing into speak up.
  const live: ScheduleField[] = ['timezone', 'params'];
  const errorsOf = (field: ScheduleField) => [
    ...((submitted || live.includes(field) ? problems[field] : undefined) ?? []),
    ...(server[field] ?? []),
  ];
  const set = <K extends keyof ScheduleDraft>(key: K, value: ScheduleDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setServerError(null);
  };

  const submit = () => {
    setSubmitted(true);
    if (Object.keys(problems).length > 0 || pending) return;
    if (schedule) {
      const changes = changedFields(draft, schedule);
      if (Object.keys(changes).length === 0) return onClose();
      update.mutate({ teamSlug: team.slug, scheduleId: schedule.id, changes });
    } else {
      create.mutate({ teamSlug: team.slug, ...createFields(draft) });
    }
  };

  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? null : onClose())}
      title={schedule ? `Edit schedule ${schedule.name}` : 'New schedule'}
      description={
        schedule
          ? `Of ${schedule.workflowName}. Changing the cron or zone starts over from now: past times of the old timing are not caught up.`
          : 'Runs a workflow on a cron schedule, in a time zone of your choice.'
      }
      footer={
        <FormFooter formId={formId} onCancel={onClose} pending={pending} testId="schedule-save">
          {pending ? 'Saving…' : schedule ? 'Save changes' : 'Create schedule'}
        </FormFooter>
      }
    >
      <form
        id={formId}
        className="flex flex-col gap-3"
        data-testid="schedule-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Workflow" errors={errorsOf('workflowId')}>
            {(a) => (
              <WorkflowSelect
                {...a}
                name="workflowId"
                value={draft.workflowId}
                current={
                  schedule ? { id: schedule.workflowId, name: schedule.workflowName } : undefined
                }
                disabled={Boolean(schedule)}
                onChange={(e) => set('workflowId', e.target.value)}
              />
            )}
          </Field>
          <Field
            label="Name"
            hint="Lowercase letters, digits, “.”, “_” or “-”; unique per workflow."
            errors={errorsOf('name')}
          >
            {(a) => (
              <Input
                {...a}
                name="name"
                value={draft.name}
                placeholder="nightly"
                autoComplete="off"
                disabled={Boolean(schedule)}
                onChange={(e) => set('name', e.target.value)}
              />
            )}
          </Field>
        </div>
        <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
          <Field
            label="Cron"
            hint="minute hour day month weekday; a seconds field may come first; @daily and the like work too."
            errors={errorsOf('cron')}
          >
            {(a) => (
              <Input
                {...a}
                name="cron"
                className="font-mono"
                value={draft.cron}
                placeholder="0 5 * * *"
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => set('cron', e.target.value)}
              />
            )}
          </Field>
          <Field label="Time zone" errors={errorsOf('timezone')}>
            {(a) => (
              <TimeZoneSelect
                {...a}
                name="timezone"
                value={draft.timezone}
                onChange={(e) => set('timezone', e.target.value)}
              />
            )}
          </Field>
        </div>
        <div aria-live="polite">
          <CronPreview cron={draft.cron} timezone={draft.timezone} />
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label="When the previous run is still active"
            hint={overlapOption(draft.overlapPolicy).explanation}
            errors={errorsOf('overlapPolicy')}
          >
            {(a) => (
              <Select
                {...a}
                name="overlapPolicy"
                value={draft.overlapPolicy}
                onChange={(e) => set('overlapPolicy', overlapOption(e.target.value).value)}
              >
                {OVERLAP_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          <Field
            label="Missed fires"
            hint={catchupOption(draft.catchupPolicy).explanation}
            errors={errorsOf('catchupPolicy')}
          >
            {(a) => (
              <Select
                {...a}
                name="catchupPolicy"
                value={draft.catchupPolicy}
                onChange={(e) => set('catchupPolicy', catchupOption(e.target.value).value)}
              >
                {CATCHUP_OPTIONS.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </Select>
            )}
          </Field>
        </div>
        <Field
          label="Params (JSON)"
          hint="Params of every run this schedule starts; the workflow's defaults fill the rest."
          errors={errorsOf('params')}
        >
          {(a) => (
            <Textarea
              {...a}
              name="params"
              rows={3}
              className="font-mono text-xs"
              spellCheck={false}
              value={draft.paramsText}
              onChange={(e) => set('paramsText', e.target.value)}
            />
          )}
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            name="enabled"
            checked={draft.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
          Enabled (a paused schedule fires nothing until resumed)
        </label>
        <FormAlert errors={server['']} testId="schedule-form-error" />
      </form>
    </Dialog>
  );
}
