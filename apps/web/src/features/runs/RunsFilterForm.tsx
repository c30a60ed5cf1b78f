'use client';
import { TRIGGER_KINDS, type RunStatus, type TriggerKind } from '@dtss/core';
import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Field, Input, Select } from '@/components/ui/input';
import { replaceSearchParams } from '@/lib/searchParams';
import { toLocalInput } from '../backfills/localDateTime';
import { RUN_STATUSES, words } from './runFormat';
import {
  checkCustomRange,
  isFiltered,
  isRangePreset,
  listParam,
  RANGE_PRESETS,
  type RunFilterState,
} from './runFilters';

/** The filters of the runs list. The URL holds them (see runFilters.ts); this form writes it. */
export function RunsFilterForm({ filters }: { filters: RunFilterState }) {
  const [text, setText] = useState(filters.workflow);
  const workflow = filters.workflow;

  // Back/forward (or a link) changes the URL: the box follows it.
  const lastUrlWorkflow = useRef(workflow);
  useEffect(() => {
    if (lastUrlWorkflow.current !== workflow) {
      lastUrlWorkflow.current = workflow;
      setText(workflow);
    }
  }, [workflow]);

  // The workflow box writes the URL a moment after typing stops; the URL drives the query.
  useEffect(() => {
    const wanted = text.trim();
    if (wanted === workflow) return;
    const t = setTimeout(() => {
      lastUrlWorkflow.current = wanted;
      replaceSearchParams({ workflow: wanted || null });
    }, 300);
    return () => clearTimeout(t);
  }, [text, workflow]);

  // The custom range as typed; written to the URL only once it is a valid range.
  const urlFrom = filters.from ? toLocalInput(filters.from) : '';
  const urlTo = filters.to ? toLocalInput(filters.to) : '';
  const [fromText, setFromText] = useState(urlFrom);
  const [toText, setToText] = useState(urlTo);
  const [seen, setSeen] = useState({ from: urlFrom, to: urlTo });
  if (seen.from !== urlFrom || seen.to !== urlTo) {
    setSeen({ from: urlFrom, to: urlTo });
    setFromText(urlFrom);
    setToText(urlTo);
  }
  const check = checkCustomRange(fromText, toText);
  const edited = fromText !== urlFrom || toText !== urlTo;
  const toError = check.errors.to ?? (!edited ? filters.rangeError : null);

  const writeCustom = (nextFrom: string, nextTo: string) => {
    const c = checkCustomRange(nextFrom, nextTo);
    if (c.errors.from || c.errors.to) return;
    replaceSearchParams({
      range: 'custom',
      from: c.from?.toISOString() ?? null,
      to: c.to?.toISOString() ?? null,
    });
  };

  const clear = () => {
    lastUrlWorkflow.current = '';
    setText('');
    setFromText('');
    setToText('');
    replaceSearchParams({
      workflow: null,
      status: null,
      trigger: null,
      range: null,
      from: null,
      to: null,
    });
  };

  return (
    <form
      className="mb-4 flex flex-col gap-3"
      role="search"
      aria-label="Filter runs"
      onSubmit={(e) => {
        e.preventDefault();
        const wanted = text.trim();
        lastUrlWorkflow.current = wanted;
        replaceSearchParams({ workflow: wanted || null });
      }}
    >
      <div className="flex flex-wrap items-start gap-3">
        <Field label="Workflow" className="w-64">
          {(a) => (
            <Input
              {...a}
              placeholder="Exact name or id"
              maxLength={200}
              value={text}
              onChange={(e) => setText(e.target.value)}
              data-testid="runs-filter-workflow"
            />
          )}
        </Field>
        <Field label="Created" className="w-44">
          {(a) => (
            <Select
              {...a}
              value={filters.range}
              onChange={(e) => {
                const v = e.target.value;
                if (v === 'custom') {
                  const c = checkCustomRange(fromText, toText);
                  const ok = !c.errors.from && !c.errors.to;
                  replaceSearchParams({
                    range: 'custom',
                    from: ok ? (c.from?.toISOString() ?? null) : null,
                    to: ok ? (c.to?.toISOString() ?? null) : null,
                  });
                } else {
                  replaceSearchParams({
                    range: isRangePreset(v) ? v : null,
                    from: null,
                    to: null,
                  });
                }
              }}
              data-testid="runs-filter-range"
            >
              <option value="">Any time</option>
              {Object.entries(RANGE_PRESETS).map(([key, p]) => (
                <option key={key} value={key}>
                  {p.label}
                </option>
              ))}
              <option value="custom">Custom range…</option>
            </Select>
          )}
        </Field>
        {filters.range === 'custom' ? (
          <>
            <Field
              label="From"
              className="w-52"
              hint="In your time zone"
              errors={check.errors.from ? [check.errors.from] : undefined}
            >
              {(a) => (
                <Input
                  {...a}
                  type="datetime-local"
                  value={fromText}
                  max={toText || undefined}
                  onChange={(e) => {
                    setFromText(e.target.value);
                    writeCustom(e.target.value, toText);
                  }}
                  data-testid="runs-filter-from"
                />
              )}
            </Field>
            <Field label="To" className="w-52" errors={toError ? [toError] : undefined}>
              {(a) => (
                <Input
                  {...a}
                  type="datetime-local"
                  value={toText}
                  min={fromText || undefined}
                  onChange={(e) => {
                    setToText(e.target.value);
                    writeCustom(fromText, e.target.value);
                  }}
                  data-testid="runs-filter-to"
                />
              )}
            </Field>
          </>
        ) : null}
        {isFiltered(filters) ? (
          <Button className="mt-5" onClick={clear} data-testid="runs-filter-clear">
            Clear filters
          </Button>
        ) : null}
      </div>
      <CheckboxGroup
        legend="Status"
        values={RUN_STATUSES}
        checked={filters.statuses}
        onChange={(next: RunStatus[]) => replaceSearchParams({ status: listParam(next) })}
        testId="runs-filter-status"
      />
      <CheckboxGroup
        legend="Trigger"
        values={TRIGGER_KINDS}
        checked={filters.triggerKinds}
        onChange={(next: TriggerKind[]) => replaceSearchParams({ trigger: listParam(next) })}
        testId="runs-filter-trigger"
      />
    </form>
  );
}

/** Several values of one filter: none checked = all of them. */
function CheckboxGroup<T extends string>({
  legend,
  values,
  checked,
  onChange,
  testId,
}: {
  legend: string;
  values: readonly T[];
  checked: readonly T[];
  onChange: (next: T[]) => void;
  testId: string;
}) {
  const id = useId();
  // The URL follows a click a moment later (Next.js syncs History in a transition): the boxes show
  // the click at once, and follow the URL again whenever it changes (Back, Clear filters).
  const urlKey = checked.join(',');
  const [shown, setShown] = useState({ urlKey, values: checked });
  if (shown.urlKey !== urlKey) setShown({ urlKey, values: checked });
  const current = shown.urlKey === urlKey ? shown.values : checked;
  return (
    <fieldset className="flex flex-wrap items-center gap-1.5" aria-describedby={`${id}-hint`}>
      <legend className="float-left mr-2 w-16 text-xs font-medium text-muted">{legend}</legend>
      {values.map((v) => {
        const on = current.includes(v);
        return (
          <label
            key={v}
            className={`inline-flex cursor-pointer items-center gap-1.5 rounded-full border px-2.5 py-0.5 text-xs has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent ${
              on ? 'border-accent bg-panel-2 text-fg' : 'border-border text-muted'
            }`}
          >
            <input
              type="checkbox"
              className="h-3.5 w-3.5"
              checked={on}
              onChange={(e) => {
                const next = values.filter((x) =>
                  x === v ? e.target.checked : current.includes(x),
                );
                setShown({ urlKey, values: next });
                onChange(next);
              }}
              data-testid={`${testId}-${v}`}
            />
            {words(v)}
          </label>
        );
      })}
      <span id={`${id}-hint`} className="ml-1 text-xs text-muted">
        {current.length ? `${current.length} of ${values.length}` : 'all'}
      </span>
    </fieldset>
  );
}
