'use client';
import { Section } from './Section';
import { TRIGGER_RULES, type ValidationError } from '@dtss/core';
import { useQuery } from '@tanstack/react-query';
import { X } from 'lucide-react';
import { useState } from 'react';
import { LazyCodeEditor } from '@/components/code/LazyCodeEditor';
import { useTeam } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Field, FieldErrors, Input, Select, Textarea } from '@/components/ui/input';
import { useTRPC } from '@/trpc/react';
import {
  explainTriggerRule,
  fieldErrors,
  needsOf,
  removeElements,
  renameTask,
  retryPreview,
  updateTask,
  type EditorState,
  type TaskDoc,
} from '../model';
import { getIn, isRecord, numberOrText, setIn, text } from './docEdit';
import { KeyValueEditor } from './KeyValueEditor';

type Commit = (next: (s: EditorState) => EditorState, mergeKey?: string) => void;

const SCRIPT_LANGUAGE = { shell: 'shell', node: 'javascript', python: 'python' } as const;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** The selected task's form: its kind's fields, then the fields every task has. */
export function TaskPanel({
  id,
  state,
  errors,
  readOnly,
  commit,
  onRenamed,
  onClose,
}: {
  id: string;
  state: EditorState;
  errors: readonly ValidationError[];
  readOnly: boolean;
  commit: Commit;
  onRenamed: (to: string) => void;
  onClose: () => void;
}) {
  const task = state.workflow.tasks[id]!;
  const byField = fieldErrors([...errors], id);
  const errs = (path: string) => byField.get(path) ?? [];
  const set = (path: string[], value: unknown) =>
    commit(
      (s) => {
        const cur = s.workflow.tasks[id];
        return cur ? updateTask(s, id, setIn(cur, path, value) as TaskDoc) : s;
      },
      `task:${id}:${path.join('.')}`,
    );
  const val = (path: string[]) => getIn(task, path);
  const kind = String(task.kind);

  return (
    <div className="flex flex-col gap-4 p-4" data-testid="task-panel">
      <div className="flex items-center justify-between">
        <h2 className="text-sm">
          Task <span className="font-mono">{id}</span> <span className="text-muted">· {kind}</span>
        </h2>
        <Button size="sm" variant="ghost" aria-label="Close task panel" onClick={onClose}>
          <X aria-hidden size={14} />
        </Button>
      </div>
      {errors.length ? (
        <ul
          className="rounded-md border border-bad/50 px-3 py-2 text-xs text-bad"
          data-testid="task-errors"
        >
          {errors.map((e, i) => (
            <li key={i}>
              <span className="font-mono">
                {e.path.replace(`tasks.${id}.`, '').replace(`tasks.${id}`, '(task)')}
              </span>
              : {e.message}
            </li>
          ))}
        </ul>
      ) : null}

      <RenameField
        id={id}
        state={state}
        readOnly={readOnly}
        commit={commit}
        onRenamed={onRenamed}
      />
      <Field label="Description">
        {(a) => (
          <Input
            {...a}
            value={text(val(['description']))}
            disabled={readOnly}
            onChange={(e) => set(['description'], e.target.value)}
          />
        )}
      </Field>

      {kind === 'shell' || kind === 'node' || kind === 'python' ? (
        <ScriptFields kind={kind} task={task} set={set} errs={errs} readOnly={readOnly} />
      ) : null}
      {kind === 'http' ? (
        <HttpFields task={task} set={set} errs={errs} readOnly={readOnly} />
      ) : null}
      {kind === 'noop' ? (
        <JsonField
          label="Result (JSON, the task's output)"
          value={val(['result'])}
          onChange={(v) => set(['result'], v)}
          readOnly={readOnly}
          errors={errs('result')}
        />
      ) : null}

      <Section title="Dependencies">
        <Needs id={id} state={state} readOnly={readOnly} commit={commit} />
        <Field
          label="Trigger rule"
          hint={explainTriggerRule(String(val(['trigger']) ?? 'all_success'))}
          errors={errs('trigger')}
        >
          {(a) => (
            <Select
              {...a}
              value={text(val(['trigger'])) || 'all_success'}
              disabled={readOnly}
              onChange={(e) =>
                set(['trigger'], e.target.value === 'all_success' ? undefined : e.target.value)
              }
            >
              {TRIGGER_RULES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </Section>

      <Section title="Retries and timeout">
        <RetryFields task={task} set={set} errs={errs} readOnly={readOnly} />
        <Field
          label="Timeout per attempt"
          hint="e.g. 30s, 10m, 1h30m"
          errors={[...errs('timeout'), ...errs('timeoutMs')]}
        >
          {(a) => (
            <Input
              {...a}
              value={text(val(['timeout']))}
              placeholder="none"
              disabled={readOnly}
              onChange={(e) => set(['timeout'], e.target.value)}
            />
          )}
        </Field>
      </Section>

      <Section title="Environment">
        <KeyValueEditor
          label="Env"
          value={isRecord(val(['env'])) ? (val(['env']) as Record<string, unknown>) : undefined}
          onChange={(v) => set(['env'], v)}
          readOnly={readOnly}
          errors={prefixed(byField, 'env.')}
        />
        <SecretsField
          task={task}
          set={set}
          readOnly={readOnly}
          errors={prefixed(byField, 'secrets.')}
        />
        <Field label="Working directory" errors={errs('workingDir')}>
          {(a) => (
            <Input
              {...a}
              value={text(val(['workingDir']))}
              placeholder="a fresh temporary directory"
              disabled={readOnly}
              onChange={(e) => set(['workingDir'], e.target.value)}
            />
          )}
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Pool" errors={errs('pool')}>
            {(a) => (
              <Input
                {...a}
                value={text(val(['pool']))}
                placeholder="default"
                disabled={readOnly}
                onChange={(e) => set(['pool'], e.target.value)}
              />
            )}
          </Field>
          <Field label="Priority (−100…100)" errors={errs('priority')}>
            {(a) => (
              <Input
                {...a}
                inputMode="numeric"
                value={text(val(['priority']))}
                placeholder="0"
                disabled={readOnly}
                onChange={(e) => set(['priority'], numberOrText(e.target.value))}
              />
            )}
          </Field>
        </div>
      </Section>

      <Section title="Output">
        <JsonField
          label="Output schema (JSON, same subset as params)"
          value={val(['output', 'schema'])}
          onChange={(v) => set(['output', 'schema'], v)}
          readOnly={readOnly}
          errors={[
            ...errs('output'),
            ...[...byField.entries()]
              .filter(([k]) => k.startsWith('output.schema'))
              .flatMap(([, v]) => v),
          ]}
        />
      </Section>

      {!readOnly ? (
        <Button
          variant="danger"
          size="sm"
          className="self-start"
          onClick={() => {
            commit((s) => removeElements(s, { tasks: [id], edges: [] }));
            onClose();
          }}
        >
          Delete task
        </Button>
      ) : null}
    </div>
  );
}

function prefixed(map: ReadonlyMap<string, string[]>, prefix: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of map) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length).replace(/^\["(.*)"\]$/, '$1');
    out.set(key, v);
  }
  return out;
}

function RenameField({
  id,
  state,
  readOnly,
  commit,
  onRenamed,
}: {
  id: string;
  state: EditorState;
  readOnly: boolean;
  commit: Commit;
  onRenamed: (to: string) => void;
}) {
  const [value, setValue] = useState(id);
  const [error, setError] = useState<string | null>(null);
  const apply = () => {
    if (value === id) return setError(null);
    const r = renameTask(state, id, value);
    if (!r.ok) return setError(r.reason);
    setError(null);
    commit(() => r.state);
    onRenamed(value);
  };
  return (
    <Field
      label="Task id"
      hint="Enter to rename; references in needs and templates follow."
      errors={error ? [error] : []}
    >
      {(a) => (
        <Input
          {...a}
          value={value}
          disabled={readOnly}
          className="font-mono"
          data-testid="task-id"
          onChange={(e) => setValue(e.target.value)}
          onBlur={apply}
          onKeyDown={(e) => {
            if (e.key === 'Enter') apply();
            if (e.key === 'Escape') setValue(id);
          }}
        />
      )}
    </Field>
  );
}

type SetFn = (path: string[], value: unknown) => void;
type ErrsFn = (path: string) => string[];

function ScriptFields({
  kind,
  task,
  set,
  errs,
  readOnly,
}: {
  kind: 'shell' | 'node' | 'python';
  task: TaskDoc;
  set: SetFn;
  errs: ErrsFn;
  readOnly: boolean;
}) {
  const field = kind === 'shell' ? 'command' : 'script';
  const usesFile = kind !== 'shell' && typeof task.file === 'string';
  return (
    <>
      {usesFile ? (
        <Field label="File (on the worker)" errors={errs('file')}>
          {(a) => (
            <Input
              {...a}
              value={text(task.file)}
              disabled={readOnly}
              onChange={(e) => set(['file'], e.target.value)}
            />
          )}
        </Field>
      ) : (
        <div className="flex flex-col gap-1">
          <span className="text-xs font-medium text-muted">
            {kind === 'shell' ? 'Command' : 'Script'}
          </span>
          <LazyCodeEditor
            label={kind === 'shell' ? 'Command' : 'Script'}
            testId={`code-${field}`}
            language={SCRIPT_LANGUAGE[kind]}
            value={text(task[field])}
            readOnly={readOnly}
            maxHeight="320px"
            onChange={(v) => set([field], v)}
          />
          <FieldErrors errors={errs(field)} />
          {kind !== 'shell' ? (
            <span className="text-xs text-muted">
              Inline scripts are not templated: pass values through env.
            </span>
          ) : (
            <span className="text-xs text-muted">
              Templates like {'{{ params.day }}'} are inserted verbatim; prefer env +
              &quot;$VAR&quot;.
            </span>
          )}
        </div>
      )}
      {kind === 'shell' ? (
        <Field label="Shell" errors={errs('shell')}>
          {(a) => (
            <Input
              {...a}
              value={text(task.shell)}
              placeholder="sh"
              disabled={readOnly}
              onChange={(e) => set(['shell'], e.target.value)}
            />
          )}
        </Field>
      ) : null}
      {kind === 'python' ? (
        <Field label="Python interpreter" errors={errs('python')}>
          {(a) => (
            <Input
              {...a}
              value={text(task.python)}
              placeholder="python3"
              disabled={readOnly}
              onChange={(e) => set(['python'], e.target.value)}
            />
          )}
        </Field>
      ) : null}
    </>
  );
}

function HttpFields({
  task,
  set,
  errs,
  readOnly,
}: {
  task: TaskDoc;
  set: SetFn;
  errs: ErrsFn;
  readOnly: boolean;
}) {
  const req = (isRecord(task.request) ? task.request : {}) as Record<string, unknown>;
  const method = text(req.method).toUpperCase() || 'GET';
  return (
    <Section title="HTTP request">
      <div className="flex gap-2">
        <Field label="Method" className="w-28" errors={errs('request.method')}>
          {(a) => (
            <Select
              {...a}
              value={method}
              disabled={readOnly}
              onChange={(e) =>
                set(['request', 'method'], e.target.value === 'GET' ? undefined : e.target.value)
              }
            >
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="URL" className="flex-1" errors={errs('request.url')}>
          {(a) => (
            <Input
              {...a}
              value={text(req.url)}
              placeholder="https://…"
              disabled={readOnly}
              className="font-mono text-xs"
              data-testid="http-url"
              onChange={(e) => set(['request', 'url'], e.target.value)}
            />
          )}
        </Field>
      </div>
      <KeyValueEditor
        label="Headers"
        keyPlaceholder="Header"
        value={isRecord(req.headers) ? req.headers : undefined}
        onChange={(v) => set(['request', 'headers'], v)}
        readOnly={readOnly}
      />
      <KeyValueEditor
        label="Query"
        keyPlaceholder="param"
        value={isRecord(req.query) ? req.query : undefined}
        onChange={(v) => set(['request', 'query'], v)}
        readOnly={readOnly}
      />
      <JsonField
        label="Body (JSON, or a string sent as is)"
        value={req.body}
        onChange={(v) => set(['request', 'body'], v)}
        readOnly={readOnly}
        errors={errs('request.body')}
        allowText
      />
      <Field
        label="Success statuses"
        hint="codes or classes, comma-separated: 200, 2xx, 304"
        errors={errs('successStatuses')}
      >
        {(a) => (
          <Input
            {...a}
            value={
              Array.isArray(task.successStatuses)
                ? task.successStatuses.join(', ')
                : text(task.successStatuses)
            }
            placeholder="2xx"
            disabled={readOnly}
            onChange={(e) =>
              set(
                ['successStatuses'],
                e.target.value.trim()
                  ? e.target.value
                      .split(',')
                      .map((s) => s.trim())
                      .filter(Boolean)
                      .map((s) => (/^\d+$/.test(s) ? Number(s) : s))
                  : undefined,
              )
            }
          />
        )}
      </Field>
    </Section>
  );
}

function RetryFields({
  task,
  set,
  errs,
  readOnly,
}: {
  task: TaskDoc;
  set: SetFn;
  errs: ErrsFn;
  readOnly: boolean;
}) {
  const r = (isRecord(task.retries) ? task.retries : {}) as Record<string, unknown>;
  const preview = retryPreview(task.retries);
  return (
    <>
      <div className="grid grid-cols-2 gap-3">
        <Field label="Max attempts" errors={errs('retries.maxAttempts')}>
          {(a) => (
            <Input
              {...a}
              inputMode="numeric"
              value={text(r.maxAttempts)}
              placeholder="1"
              disabled={readOnly}
              data-testid="retries-max"
              onChange={(e) => set(['retries', 'maxAttempts'], numberOrText(e.target.value))}
            />
          )}
        </Field>
        <Field label="Backoff" errors={errs('retries.backoff')}>
          {(a) => (
            <Select
              {...a}
              value={text(r.backoff) || 'exponential'}
              disabled={readOnly}
              onChange={(e) =>
                set(
                  ['retries', 'backoff'],
                  e.target.value === 'exponential' ? undefined : e.target.value,
                )
              }
            >
              <option value="exponential">exponential</option>
              <option value="fixed">fixed</option>
            </Select>
          )}
        </Field>
        <Field label="Initial delay" errors={errs('retries.initialDelay')}>
          {(a) => (
            <Input
              {...a}
              value={text(r.initialDelay)}
              placeholder="10s"
              disabled={readOnly}
              onChange={(e) => set(['retries', 'initialDelay'], e.target.value)}
            />
          )}
        </Field>
        <Field label="Max delay" errors={errs('retries.maxDelay')}>
          {(a) => (
            <Input
              {...a}
              value={text(r.maxDelay)}
              placeholder="1h"
              disabled={readOnly}
              onChange={(e) => set(['retries', 'maxDelay'], e.target.value)}
            />
          )}
        </Field>
        <Field label="Jitter" errors={errs('retries.jitter')}>
          {(a) => (
            <Select
              {...a}
              value={text(r.jitter) || 'none'}
              disabled={readOnly}
              onChange={(e) =>
                set(['retries', 'jitter'], e.target.value === 'none' ? undefined : e.target.value)
              }
            >
              <option value="none">none</option>
              <option value="full">full</option>
            </Select>
          )}
        </Field>
      </div>
      <div className="text-xs text-muted" data-testid="retry-preview">
        {renderPreview(preview)}
      </div>
    </>
  );
}

function renderPreview(p: ReturnType<typeof retryPreview>): string {
  if (!p.ok) return p.message;
  if (!p.delays.length) return 'One attempt, no retries.';
  const parts = p.delays.map((d) => `#${d.attempt}: ${d.jitter ? `0–${d.label}` : d.label}`);
  return `Waits before each retry: ${parts.join(', ')}${p.more ? `, and ${p.more} more` : ''}.`;
}

function SecretsField({
  task,
  set,
  readOnly,
  errors,
}: {
  task: TaskDoc;
  set: SetFn;
  readOnly: boolean;
  errors: Map<string, string[]>;
}) {
  const trpc = useTRPC();
  const team = useTeam();
  const names = useQuery(trpc.secrets.list.queryOptions({ teamSlug: team.slug }));
  return (
    <KeyValueEditor
      label="Secrets (variable → stored secret)"
      keyPlaceholder="VARIABLE"
      value={isRecord(task.secrets) ? task.secrets : undefined}
      onChange={(v) => set(['secrets'], v)}
      readOnly={readOnly}
      valueOptions={(names.data ?? []).map((s) => s.name)}
      errors={errors}
    />
  );
}

function Needs({
  id,
  state,
  readOnly,
  commit,
}: {
  id: string;
  state: EditorState;
  readOnly: boolean;
  commit: Commit;
}) {
  const needs = needsOf(state.workflow.tasks[id]!);
  return (
    <div className="flex flex-col gap-1">
      <span className="text-xs font-medium text-muted">
        Needs (draw an edge on the canvas to add one)
      </span>
      {needs.length === 0 ? (
        <span className="text-xs text-muted">No upstream tasks: starts with the run.</span>
      ) : null}
      <div className="flex flex-wrap gap-1">
        {needs.map((n) => (
          <span
            key={n}
            className="inline-flex items-center gap-1 rounded border border-border px-1.5 py-0.5 font-mono text-xs"
          >
            {n}
            {!readOnly ? (
              <button
                type="button"
                aria-label={`Remove dependency on ${n}`}
                onClick={() =>
                  commit((s) =>
                    removeElements(s, { tasks: [], edges: [{ source: n, target: id }] }),
                  )
                }
              >
                ✕
              </button>
            ) : null}
          </span>
        ))}
      </div>
    </div>
  );
}

/** A JSON value typed as text; invalid JSON stays in the box with its error and is not written. */
function JsonField({
  label,
  value,
  onChange,
  readOnly,
  errors,
  allowText,
}: {
  label: string;
  value: unknown;
  onChange: (v: unknown) => void;
  readOnly: boolean;
  errors?: readonly string[];
  allowText?: boolean;
}) {
  const [draft, setDraft] = useState(() =>
    value === undefined
      ? ''
      : allowText && typeof value === 'string'
        ? value
        : JSON.stringify(value, null, 2),
  );
  const [parseError, setParseError] = useState<string | null>(null);
  return (
    <Field label={label} errors={[...(parseError ? [parseError] : []), ...(errors ?? [])]}>
      {(a) => (
        <Textarea
          {...a}
          rows={4}
          className="font-mono text-xs"
          value={draft}
          disabled={readOnly}
          onChange={(e) => {
            const t = e.target.value;
            setDraft(t);
            if (!t.trim()) {
              setParseError(null);
              return onChange(undefined);
            }
            try {
              onChange(JSON.parse(t));
              setParseError(null);
            } catch (err) {
              if (allowText) {
                setParseError(null);
                onChange(t);
              } else setParseError(`not JSON: ${(err as Error).message}`);
            }
          }}
        />
      )}
    </Field>
  );
}
