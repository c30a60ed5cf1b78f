'use client';
import { Section } from './Section';
import { type ValidationError } from '@dtss/core';
import { Plus, X } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Field, FieldErrors, Input, Select } from '@/components/ui/input';
import type { EditorState, WorkflowDoc } from '../model';
import { getIn, isRecord, numberOrText, setIn, text } from './docEdit';
import { ScheduleEditor } from './ScheduleEditor';

type Commit = (next: (s: EditorState) => EditorState, mergeKey?: string) => void;
const PARAM_TYPES = ['string', 'number', 'integer', 'boolean', 'array', 'object'] as const;

/** Settings of the whole workflow, shown when no single task is selected. */
export function WorkflowPanel({
  state,
  errors,
  readOnly,
  nameLocked,
  commit,
  selectedCount,
}: {
  state: EditorState;
  errors: readonly ValidationError[];
  readOnly: boolean;
  nameLocked: boolean;
  commit: Commit;
  selectedCount: number;
}) {
  const wf = state.workflow;
  const errs = (prefix: string) =>
    errors
      .filter(
        (e) =>
          e.path === prefix || e.path.startsWith(`${prefix}.`) || e.path.startsWith(`${prefix}[`),
      )
      .map((e) =>
        e.path === prefix ? e.message : `${e.path.slice(prefix.length + 1)}: ${e.message}`,
      );
  const set = (path: string[], value: unknown) =>
    commit(
      (s) => ({ ...s, workflow: setIn(s.workflow, path, value) as WorkflowDoc }),
      `wf:${path.join('.')}`,
    );
  const general = errors.filter((e) => !e.path.startsWith('tasks.'));

  return (
    <div className="flex flex-col gap-4 p-4" data-testid="workflow-panel">
      <h2 className="text-sm">Workflow settings</h2>
      {selectedCount > 1 ? (
        <p className="text-xs text-muted">
          {selectedCount} tasks selected: Delete removes them, Ctrl+C / Ctrl+V copies them.
        </p>
      ) : (
        <p className="text-xs text-muted">Select a task on the canvas to edit it.</p>
      )}
      {general.length ? (
        <ul
          className="rounded-md border border-bad/50 px-3 py-2 text-xs text-bad"
          data-testid="workflow-errors"
        >
          {general.map((e, i) => (
            <li key={i}>
              <span className="font-mono">{e.path || '(workflow)'}</span>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
      <Field
        label="Name"
        hint={
          nameLocked
            ? 'The name identifies the workflow and its history; it cannot change here.'
            : 'lowercase letters, digits, . _ -'
        }
        errors={errs('name')}
      >
        {(a) => (
          <Input
            {...a}
            value={text(wf.name)}
            disabled={readOnly || nameLocked}
            className="font-mono"
            data-testid="workflow-name"
            onChange={(e) => set(['name'], e.target.value)}
          />
        )}
      </Field>
      <Field label="Description" errors={errs('description')}>
        {(a) => (
          <Input
            {...a}
            value={text(wf.description)}
            disabled={readOnly}
            onChange={(e) => set(['description'], e.target.value)}
          />
        )}
      </Field>
      <Field label="Tags" hint="comma-separated" errors={errs('tags')}>
        {(a) => (
          <Input
            {...a}
            defaultValue={Array.isArray(wf.tags) ? wf.tags.join(', ') : ''}
            disabled={readOnly}
            onChange={(e) =>
              set(
                ['tags'],
                e.target.value
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean),
              )
            }
          />
        )}
      </Field>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Max runs at once" errors={errs('concurrency')}>
          {(a) => (
            <Input
              {...a}
              inputMode="numeric"
              placeholder="no limit"
              value={text(getIn(wf, ['concurrency', 'maxRuns']))}
              disabled={readOnly}
              onChange={(e) => set(['concurrency', 'maxRuns'], numberOrText(e.target.value))}
            />
          )}
        </Field>
        <Field label="Run timeout" errors={errs('runTimeout')}>
          {(a) => (
            <Input
              {...a}
              placeholder="none"
              value={text(wf.runTimeout)}
              disabled={readOnly}
              onChange={(e) => set(['runTimeout'], e.target.value)}
            />
          )}
        </Field>
      </div>

      <Section title="Params">
        <ParamsEditor
          params={isRecord(wf.params) ? wf.params : {}}
          readOnly={readOnly}
          errs={errs}
          onChange={(p) => set(['params'], p)}
        />
      </Section>

      <Section title="Schedules">
        <ScheduleEditor
          schedules={Array.isArray(wf.schedules) ? (wf.schedules as Record<string, unknown>[]) : []}
          readOnly={readOnly}
          errs={errs}
          onChange={(list) => set(['schedules'], list)}
        />
      </Section>

      <Section title="Event triggers">
        <TriggersEditor
          triggers={Array.isArray(wf.triggers) ? (wf.triggers as Record<string, unknown>[]) : []}
          readOnly={readOnly}
          errs={errs}
          onChange={(list) => set(['triggers'], list)}
        />
      </Section>
    </div>
  );
}

function ParamsEditor({
  params,
  readOnly,
  errs,
  onChange,
}: {
  params: Record<string, unknown>;
  readOnly: boolean;
  errs: (prefix: string) => string[];
  onChange: (p: Record<string, unknown> | undefined) => void;
}) {
  const entries = Object.entries(params);
  const update = (i: number, name: string, spec: Record<string, unknown>) =>
    onChange(Object.fromEntries(entries.map(([n, s], j) => (j === i ? [name, spec] : [n, s]))));
  return (
    <div className="flex flex-col gap-3" data-testid="params-editor">
      {entries.length === 0 ? (
        <span className="text-xs text-muted">No params: runs take none.</span>
      ) : null}
      {entries.map(([name, raw], i) => {
        const spec = (isRecord(raw) ? raw : {}) as Record<string, unknown>;
        const type = text(spec.type) || 'string';
        const nested = type === 'object' || type === 'array';
        return (
          <div key={i} className="flex flex-col gap-2 rounded-md border border-border p-2">
            <div className="flex gap-2">
              <Input
                aria-label={`Param ${i + 1} name`}
                className="flex-1 font-mono text-xs"
                value={name}
                disabled={readOnly}
                onChange={(e) => update(i, e.target.value, spec)}
              />
              <Select
                aria-label={`Param ${name} type`}
                className="w-28 text-xs"
                value={type}
                disabled={readOnly}
                onChange={(e) => update(i, name, { ...spec, type: e.target.value })}
              >
                {PARAM_TYPES.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </Select>
              {!readOnly ? (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove param ${name}`}
                  onClick={() => onChange(Object.fromEntries(entries.filter((_, j) => j !== i)))}
                >
                  <X aria-hidden size={14} />
                </Button>
              ) : null}
            </div>
            <Input
              aria-label={`Param ${name} description`}
              placeholder="description"
              className="text-xs"
              value={text(spec.description)}
              disabled={readOnly}
              onChange={(e) => update(i, name, setIn(spec, ['description'], e.target.value))}
            />
            {!nested ? (
              <div className="flex gap-2">
                <Input
                  aria-label={`Param ${name} default`}
                  placeholder="default"
                  className="flex-1 font-mono text-xs"
                  value={text(spec.default)}
                  disabled={readOnly}
                  onChange={(e) =>
                    update(i, name, setIn(spec, ['default'], typed(type, e.target.value)))
                  }
                />
                {type === 'string' || type === 'number' || type === 'integer' ? (
                  <Input
                    aria-label={`Param ${name} allowed values`}
                    placeholder="allowed values, comma-separated"
                    className="flex-1 font-mono text-xs"
                    defaultValue={Array.isArray(spec.enum) ? spec.enum.join(', ') : ''}
                    disabled={readOnly}
                    onChange={(e) =>
                      update(
                        i,
                        name,
                        setIn(
                          spec,
                          ['enum'],
                          e.target.value
                            .split(',')
                            .map((v) => v.trim())
                            .filter(Boolean)
                            .map((v) => typed(type, v)),
                        ),
                      )
                    }
                  />
                ) : null}
              </div>
            ) : (
              <span className="text-xs text-muted">
                Nested fields of {type} params: edit them in the YAML tab.
              </span>
            )}
            <FieldErrors errors={errs(`params.${name}`)} />
          </div>
        );
      })}
      {!readOnly ? (
        <Button
          size="sm"
          variant="ghost"
          className="self-start"
          onClick={() => onChange({ ...params, [freeName(params)]: { type: 'string' } })}
        >
          <Plus aria-hidden size={14} /> Add param
        </Button>
      ) : null}
    </div>
  );
}

function typed(type: string, value: string): unknown {
  if (value.trim() === '') return undefined;
  if (type === 'number' || type === 'integer') return numberOrText(value);
  if (type === 'boolean') return value === 'true' ? true : value === 'false' ? false : value;
  return value;
}

function freeName(params: Record<string, unknown>): string {
  for (let i = 1; ; i++) if (!(`param_${i}` in params)) return `param_${i}`;
}

function TriggersEditor({
  triggers,
  readOnly,
  errs,
  onChange,
}: {
  triggers: Record<string, unknown>[];
  readOnly: boolean;
  errs: (prefix: string) => string[];
  onChange: (list: Record<string, unknown>[] | undefined) => void;
}) {
  return (
    <div className="flex flex-col gap-2">
      {triggers.map((t, i) => (
        <div key={i} className="flex flex-col gap-1 rounded-md border border-border p-2">
          {t.after ? (
            <span className="text-xs">
              After runs of{' '}
              <span className="font-mono">{text(getIn(t, ['after', 'workflow']))}</span> (edit in
              the YAML tab)
            </span>
          ) : (
            <div className="flex gap-2">
              <Input
                aria-label={`Trigger ${i + 1} event`}
                placeholder="event name, e.g. order.paid"
                className="flex-1 font-mono text-xs"
                value={text(t.event)}
                disabled={readOnly}
                onChange={(e) =>
                  onChange(
                    triggers.map((x, j) => (j === i ? setIn(x, ['event'], e.target.value) : x)),
                  )
                }
              />
              {!readOnly ? (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove trigger ${i + 1}`}
                  onClick={() => onChange(triggers.filter((_, j) => j !== i))}
                >
                  <X aria-hidden size={14} />
                </Button>
              ) : null}
            </div>
          )}
          <FieldErrors errors={errs(`triggers[${i}]`)} />
        </div>
      ))}
      <span className="text-xs text-muted">
        Filters, param mappings and `after` triggers: YAML tab.
      </span>
      {!readOnly ? (
        <Button
          size="sm"
          variant="ghost"
          className="self-start"
          onClick={() => onChange([...triggers, { event: '' }])}
        >
          <Plus aria-hidden size={14} /> Add event trigger
        </Button>
      ) : null}
    </div>
  );
}
