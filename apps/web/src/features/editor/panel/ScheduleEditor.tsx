'use client';
import { isValidTimeZone, nextCronFires, parseCron } from '@dtss/core';
import cronstrue from 'cronstrue';
import { Plus, X } from 'lucide-react';
import { useMemo } from 'react';
import { Button } from '@/components/ui/button';
import { Field, FieldErrors, Input, Select } from '@/components/ui/input';
import { getIn, setIn, text } from './docEdit';

const ZONES: readonly string[] =
  typeof Intl.supportedValuesOf === 'function'
    ? ['UTC', ...Intl.supportedValuesOf('timeZone')]
    : ['UTC'];

/** Schedules of the workflow: cron in words and the next five fires in the zone, from @dtss/core. */
export function ScheduleEditor({
  schedules,
  readOnly,
  errs,
  onChange,
}: {
  schedules: Record<string, unknown>[];
  readOnly: boolean;
  errs: (prefix: string) => string[];
  onChange: (list: Record<string, unknown>[] | undefined) => void;
}) {
  const update = (i: number, path: string[], value: unknown) =>
    onChange(schedules.map((s, j) => (j === i ? setIn(s, path, value) : s)));
  return (
    <div className="flex flex-col gap-3" data-testid="schedules-editor">
      {schedules.map((s, i) => (
        <div key={i} className="flex flex-col gap-2 rounded-md border border-border p-2">
          <div className="flex items-end gap-2">
            <Field label="Cron" className="flex-1">
              {(a) => (
                <Input
                  {...a}
                  className="font-mono text-xs"
                  value={text(s.cron)}
                  placeholder="0 5 * * *"
                  disabled={readOnly}
                  data-testid={`schedule-${i}-cron`}
                  onChange={(e) => update(i, ['cron'], e.target.value)}
                />
              )}
            </Field>
            <Field label="Time zone" className="w-40">
              {(a) => (
                <Select
                  {...a}
                  className="text-xs"
                  value={text(s.timezone) || 'UTC'}
                  disabled={readOnly}
                  onChange={(e) =>
                    update(i, ['timezone'], e.target.value === 'UTC' ? undefined : e.target.value)
                  }
                >
                  {[...new Set([text(s.timezone) || 'UTC', ...ZONES])].map((z) => (
                    <option key={z}>{z}</option>
                  ))}
                </Select>
              )}
            </Field>
            {!readOnly ? (
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove schedule ${i + 1}`}
                onClick={() => onChange(schedules.filter((_, j) => j !== i))}
              >
                <X aria-hidden size={14} />
              </Button>
            ) : null}
          </div>
          <CronPreview cron={text(s.cron)} timezone={text(s.timezone) || 'UTC'} />
          <div className="grid grid-cols-2 gap-2">
            <Field label="Missed fires" hint={CATCHUP_HINT[text(s.catchup) || 'latest']}>
              {(a) => (
                <Select
                  {...a}
                  className="text-xs"
                  value={text(s.catchup) || 'latest'}
                  disabled={readOnly}
                  onChange={(e) =>
                    update(i, ['catchup'], e.target.value === 'latest' ? undefined : e.target.value)
                  }
                >
                  <option value="latest">run the latest</option>
                  <option value="all">run all</option>
                  <option value="none">skip them</option>
                </Select>
              )}
            </Field>
            <Field label="Previous run still active" hint={OVERLAP_HINT[text(s.overlap) || 'skip']}>
              {(a) => (
                <Select
                  {...a}
                  className="text-xs"
                  value={text(s.overlap) || 'skip'}
                  disabled={readOnly}
                  onChange={(e) =>
                    update(i, ['overlap'], e.target.value === 'skip' ? undefined : e.target.value)
                  }
                >
                  <option value="skip">skip</option>
                  <option value="allow_all">allow all</option>
                  <option value="buffer_one">buffer one</option>
                  <option value="cancel_previous">cancel previous</option>
                </Select>
              )}
            </Field>
          </div>
          <label className="flex items-center gap-2 text-xs">
            <input
              type="checkbox"
              checked={getIn(s, ['enabled']) !== false}
              disabled={readOnly}
              onChange={(e) => update(i, ['enabled'], e.target.checked ? undefined : false)}
            />
            Enabled
          </label>
          <FieldErrors errors={errs(`schedules[${i}]`)} />
        </div>
      ))}
      {!readOnly ? (
        <Button
          size="sm"
          variant="ghost"
          className="self-start"
          onClick={() => onChange([...schedules, { cron: '0 5 * * *' }])}
        >
          <Plus aria-hidden size={14} /> Add schedule
        </Button>
      ) : null}
    </div>
  );
}

const CATCHUP_HINT: Record<string, string> = {
  latest: 'After downtime, one run for the most recent missed time.',
  all: 'After downtime, one run for every missed time.',
  none: 'Missed times are skipped; the next fire is on time.',
};
const OVERLAP_HINT: Record<string, string> = {
  skip: 'A fire while the last run is active starts nothing.',
  allow_all: 'Runs may overlap.',
  buffer_one: 'One fire waits for the active run to end.',
  cancel_previous: 'The active run is cancelled and a new one starts.',
};

export function CronPreview({ cron, timezone }: { cron: string; timezone: string }) {
  const preview = useMemo(() => {
    if (!cron.trim()) return { ok: false as const, message: 'enter a cron expression' };
    const parsed = parseCron(cron);
    if (!parsed.ok) return { ok: false as const, message: parsed.error.message };
    if (!isValidTimeZone(timezone))
      return { ok: false as const, message: `unknown time zone ${timezone}` };
    let words = '';
    try {
      words = cronstrue.toString(cron, {
        use24HourTimeFormat: true,
        throwExceptionOnParseError: true,
      });
    } catch {
      words = '';
    }
    const fires = nextCronFires(parsed.cron, timezone, new Date(), 5);
    return { ok: true as const, words, fires };
  }, [cron, timezone]);
  if (!preview.ok) return <div className="text-xs text-bad">{preview.message}</div>;
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: cron.trim().split(/\s+/).length === 6 ? '2-digit' : undefined,
    timeZoneName: 'short',
  });
  return (
    <div className="text-xs" data-testid="cron-preview">
      {preview.words ? <div className="font-medium">{preview.words}</div> : null}
      <div className="text-muted">Next fires ({timezone}):</div>
      <ol className="ml-4 list-decimal text-muted">
        {preview.fires.map((f) => (
          <li key={f.toISOString()}>{fmt.format(f)}</li>
        ))}
      </ol>
    </div>
  );
}
