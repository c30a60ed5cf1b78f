'use client';
import { validateWorkflow, type ValidationError } from '@dtss/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Tabs } from 'radix-ui';
import { AlertTriangle, Redo2, Save, Undo2 } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import {
  startTransition,
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useCan, useTeam, useTeamHref } from '@/components/shell/team';
import { Button } from '@/components/ui/button';
import { Tab, TabList } from '@/components/ui/tabs';
import { WorkflowCanvas, type CanvasTask } from '@/components/graph/WorkflowCanvas';
import { errorIssues, errorMessage } from '@/trpc/errors';
import { replaceSearchParams } from '@/lib/searchParams';
import { useTRPC } from '@/trpc/react';
import {
  addTask,
  connect,
  copyTasks,
  edgesOf,
  groupErrors,
  parseClipboard,
  pasteTasks,
  removeElements,
  toYaml,
  type Clipboard,
  type EditorState,
  type WorkflowDoc,
} from './model';
import { Palette } from './Palette';
import { TaskPanel } from './panel/TaskPanel';
import { WorkflowPanel } from './panel/WorkflowPanel';
import { useEditorState } from './useEditorState';
import { YamlTab } from './yaml/YamlTab';

type Pos = { x: number; y: number };
const NOT_CHECKED_YET = { ok: true } as const;
type Notice = { tone: 'info' | 'error'; text: string; testId?: string };

export interface WorkflowEditorProps {
  initial: EditorState;
  /** Null for a new workflow. */
  existing: { id: string; name: string; version: number | null } | null;
  /** Set when the new-workflow page has just created this workflow (its version). */
  createdVersion?: number | null;
}

/**
 * The visual workflow editor: palette, canvas, side panel and a YAML tab over one document, checked
 * as you edit by @dtss/core's validator (the server's own), saved with workflows.applyDefinition.
 */
export function WorkflowEditor({ initial, existing, createdVersion }: WorkflowEditorProps) {
  const trpc = useTRPC();
  const team = useTeam();
  const href = useTeamHref();
  const router = useRouter();
  const queryClient = useQueryClient();
  const readOnly = !useCan('editor');
  const store = useEditorState(initial);
  const { state, commit } = store;
  const [savedState, setSavedState] = useState(initial);
  const dirty = state !== savedState;
  const [tab, setTab] = useState<'canvas' | 'yaml'>('canvas');
  const [selected, setSelected] = useState<string[]>([]);
  const [notice, setNotice] = useState<Notice | null>(() =>
    createdVersion && existing
      ? { tone: 'info', text: createdText(existing.name, createdVersion), testId: 'save-result' }
      : null,
  );
  const [version, setVersion] = useState(existing?.version ?? null);
  // The creation came in the URL: it is told once, and the address is the editor's again.
  useEffect(() => {
    if (createdVersion) replaceSearchParams({ created: null });
  }, [createdVersion]);
  const [serverErrors, setServerErrors] = useState<ValidationError[]>([]);
  const autoPositions = useRef<Record<string, Pos>>({});
  const clipboard = useRef<Clipboard | null>(null);

  // Validation runs on a deferred copy: typing stays smooth on a 500-task workflow, and the page
  // opens without waiting for it (the first render has nothing to check; Save waits for it).
  const deferred = useDeferredValue<WorkflowDoc | null>(state.workflow, null);
  const validation = useMemo(
    () => (deferred ? validateWorkflow(deferred) : NOT_CHECKED_YET),
    [deferred],
  );
  const errors = useMemo(
    () => (validation.ok ? serverErrors : validation.errors),
    [validation, serverErrors],
  );
  const grouped = useMemo(() => groupErrors(errors), [errors]);
  const valid = validation.ok && deferred === state.workflow;

  const canvasTasks = useCanvasTasks(state, grouped.byTask);
  const edges = useMemo(() => edgesOf(state.workflow), [state.workflow]);

  const save = useMutation(
    trpc.workflows.applyDefinition.mutationOptions({
      onSuccess: async (res) => {
        setSavedState(state);
        setServerErrors([]);
        const text =
          res.change === 'created'
            ? createdText(res.name, res.version)
            : res.change === 'updated'
              ? `Saved as version ${res.version}.`
              : res.layoutSaved
                ? `No change to the definition: still version ${res.version}; node positions saved.`
                : `No change: still version ${res.version}.`;
        setNotice({ tone: 'info', text, testId: 'save-result' });
        setVersion(res.version);
        await queryClient.invalidateQueries({ queryKey: trpc.workflows.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.versions.pathKey() });
        if (!existing || existing.name !== res.name) {
          // The editor of the saved workflow is another page: it tells the creation itself.
          const created = res.change === 'created' ? `?created=${res.version}` : '';
          router.replace(href(`/workflows/${encodeURIComponent(res.name)}/edit${created}`));
        }
      },
      onError: (err) => {
        setServerErrors(errorIssues(err).map((i) => ({ path: i.path, message: i.message })));
        setNotice({ tone: 'error', text: errorMessage(err), testId: 'save-error' });
      },
    }),
  );

  const doSave = useCallback(() => {
    if (readOnly || !valid || save.isPending) return;
    const layout: Record<string, Pos> = {};
    for (const id of Object.keys(state.workflow.tasks)) {
      const p = state.positions[id] ?? autoPositions.current[id];
      if (p) layout[id] = p;
    }
    save.mutate({ teamSlug: team.slug, text: toYaml(state.workflow), format: 'yaml', layout });
  }, [readOnly, valid, save, state, team.slug]);

  const addAt = useCallback(
    (kind: string, at?: Pos) => {
      const r = addTask(state, kind, at ?? rightOf(state, autoPositions.current));
      commit(() => r.state);
      setSelected([r.id]);
    },
    [commit, state],
  );

  const connectionProblem = useCallback(
    (source: string, target: string) => {
      const r = connect(state, source, target);
      return r.ok ? null : r.reason;
    },
    [state],
  );
  // While an edge is being drawn, the reason a drop target is refused is shown on the canvas.
  const [drawHint, setDrawHint] = useState<string | null>(null);
  const checkConnection = useCallback(
    (source: string, target: string) => {
      const problem = connectionProblem(source, target);
      setDrawHint((h) => (h === problem ? h : problem));
      return problem;
    },
    [connectionProblem],
  );

  useEditorShortcuts({
    enabled: tab === 'canvas',
    undo: store.undo,
    redo: store.redo,
    save: doSave,
    copy: () => {
      if (!selected.length) return;
      clipboard.current = copyTasks(state, selected);
      void navigator.clipboard?.writeText(JSON.stringify(clipboard.current)).catch(() => {});
    },
    paste: async () => {
      if (readOnly) return;
      let clip = clipboard.current;
      const text = await navigator.clipboard?.readText().catch(() => '');
      if (text) clip = parseClipboard(text) ?? clip;
      if (!clip) return;
      const r = pasteTasks(state, clip, rightOf(state, autoPositions.current));
      commit(() => r.state);
      setSelected(r.ids);
    },
  });
  useUnsavedGuard(dirty && !readOnly);

  const single = selected.length === 1 && state.workflow.tasks[selected[0]!] ? selected[0]! : null;
  const errorCount = errors.length;

  return (
    <div className="flex h-full min-h-0 flex-col" data-testid="workflow-editor" data-dirty={dirty}>
      <div className="flex h-12 shrink-0 items-center gap-2 border-b border-border bg-panel px-3">
        <Link
          href={
            existing ? href(`/workflows/${encodeURIComponent(existing.name)}`) : href('/workflows')
          }
          className="text-sm"
        >
          ← {existing ? existing.name : 'Workflows'}
        </Link>
        <span className="text-sm text-muted">
          {existing ? `editing v${version ?? '—'}` : 'new workflow'}
          {readOnly ? ' · read-only (viewer)' : ''}
          {dirty ? ' · unsaved changes' : ''}
        </span>
        <div className="flex-1" />
        <ValidationSummary errors={errors} pending={!valid && validation.ok} />
        {!readOnly ? (
          <>
            <Button
              size="sm"
              variant="ghost"
              onClick={store.undo}
              disabled={!store.canUndo}
              aria-label="Undo (Ctrl+Z)"
              title="Undo (Ctrl+Z)"
            >
              <Undo2 aria-hidden size={15} />
            </Button>
            <Button
              size="sm"
              variant="ghost"
              onClick={store.redo}
              disabled={!store.canRedo}
              aria-label="Redo (Ctrl+Shift+Z)"
              title="Redo (Ctrl+Shift+Z)"
            >
              <Redo2 aria-hidden size={15} />
            </Button>
            <Button
              variant="primary"
              size="sm"
              onClick={doSave}
              disabled={!valid || save.isPending}
              title={
                !valid
                  ? `Fix ${errorCount} problem${errorCount === 1 ? '' : 's'} first`
                  : 'Save (Ctrl+S)'
              }
              data-testid="save-workflow"
            >
              <Save aria-hidden size={15} /> {save.isPending ? 'Saving…' : 'Save'}
            </Button>
          </>
        ) : null}
      </div>
      {notice ? (
        <div
          role={notice.tone === 'error' ? 'alert' : 'status'}
          data-testid={notice.testId}
          className={`flex items-center justify-between border-b border-border px-3 py-1.5 text-sm ${notice.tone === 'error' ? 'text-bad' : 'text-ok'}`}
        >
          <span>{notice.text}</span>
          <button
            type="button"
            className="text-xs text-muted"
            onClick={() => setNotice(null)}
            aria-label="Dismiss"
          >
            ✕
          </button>
        </div>
      ) : null}
      <Tabs.Root
        value={tab}
        onValueChange={(v) => setTab(v as 'canvas' | 'yaml')}
        className="flex min-h-0 flex-1 flex-col"
      >
        <TabList label="Editor view" className="bg-panel px-3">
          {(['canvas', 'yaml'] as const).map((t) => (
            <Tab key={t} value={t} testId={`tab-${t}`}>
              {t === 'canvas' ? 'Canvas' : 'YAML'}
            </Tab>
          ))}
        </TabList>
        <Tabs.Content
          value="canvas"
          className="flex min-h-0 flex-1 data-[state=inactive]:hidden"
          forceMount
        >
          {!readOnly ? <Palette onAdd={(k) => addAt(k)} /> : null}
          <div className="relative min-w-0 flex-1">
            <WorkflowCanvas
              testId="editor-canvas"
              tasks={canvasTasks}
              edges={edges}
              positions={state.positions}
              readOnly={readOnly}
              onAutoLayout={(p) => (autoPositions.current = p)}
              onMove={(moved) => commit((s) => ({ ...s, positions: { ...s.positions, ...moved } }))}
              onConnect={(source, target) => {
                setDrawHint(null);
                const r = connect(state, source, target);
                if (r.ok) commit(r.state);
                else
                  setNotice({
                    tone: 'error',
                    text: `Refused: ${r.reason}`,
                    testId: 'connect-refused',
                  });
              }}
              connectionProblem={checkConnection}
              onConnectEnd={() => setDrawHint(null)}
              onDelete={(tasks, es) => commit((s) => removeElements(s, { tasks, edges: es }))}
              // A transition: the side panel follows the selection without holding up the
              // drag that selected the node.
              onSelectionChange={(ids) =>
                startTransition(() => setSelected((prev) => (sameIds(prev, ids) ? prev : ids)))
              }
              onDropKind={(kind, at) => addAt(kind, at)}
              overlay={
                drawHint ? (
                  <div
                    role="alert"
                    data-testid="connect-hint"
                    className="pointer-events-none absolute top-3 left-1/2 -translate-x-1/2 rounded-md border border-bad bg-panel px-3 py-1.5 text-sm text-bad shadow"
                  >
                    {drawHint}
                  </div>
                ) : Object.keys(state.workflow.tasks).length === 0 ? (
                  <div className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-muted">
                    {readOnly
                      ? 'This workflow has no tasks.'
                      : 'Drag a task kind from the left onto the canvas.'}
                  </div>
                ) : null
              }
            />
          </div>
          <aside
            aria-label={single ? `Task ${single}` : 'Workflow settings'}
            className="w-[380px] shrink-0 overflow-y-auto border-l border-border bg-panel"
          >
            {single ? (
              <TaskPanel
                key={single}
                id={single}
                state={state}
                errors={grouped.byTask.get(single) ?? []}
                readOnly={readOnly}
                commit={commit}
                onRenamed={(to) => setSelected([to])}
                onClose={() => setSelected([])}
              />
            ) : (
              <WorkflowPanel
                state={state}
                errors={errors}
                readOnly={readOnly}
                nameLocked={existing !== null}
                commit={commit}
                selectedCount={selected.length}
              />
            )}
          </aside>
        </Tabs.Content>
        <Tabs.Content
          value="yaml"
          className="min-h-0 flex-1 overflow-hidden data-[state=inactive]:hidden"
        >
          {tab === 'yaml' ? (
            <YamlTab state={state} readOnly={readOnly} commit={commit} errors={errors} />
          ) : null}
        </Tabs.Content>
      </Tabs.Root>
    </div>
  );
}

/** Canvas entries per task, the same object while a task and its errors are unchanged. */
function useCanvasTasks(
  state: EditorState,
  byTask: ReadonlyMap<string, readonly ValidationError[]>,
): ReadonlyMap<string, CanvasTask> {
  const cache = useRef(new Map<string, { task: unknown; key: string; entry: CanvasTask }>());
  return useMemo(() => {
    const out = new Map<string, CanvasTask>();
    const next = new Map<string, { task: unknown; key: string; entry: CanvasTask }>();
    for (const [id, task] of Object.entries(state.workflow.tasks)) {
      const errs = byTask.get(id) ?? [];
      const key = `${errs.length}\u0000${errs[0]?.message ?? ''}`;
      const hit = cache.current.get(id);
      const entry =
        hit && hit.task === task && hit.key === key
          ? hit.entry
          : {
              kind: String(task.kind ?? '?'),
              subtitle: String(task.kind ?? '?'),
              errorCount: errs.length,
              firstError: errs[0] ? `${errs[0].path}: ${errs[0].message}` : undefined,
            };
      next.set(id, { task, key, entry });
      out.set(id, entry);
    }
    cache.current = next;
    return out;
  }, [state.workflow.tasks, byTask]);
}

function rightOf(s: EditorState, auto: Record<string, Pos>): Pos {
  let maxX = -Infinity;
  let y = 0;
  for (const id of Object.keys(s.workflow.tasks)) {
    const p = s.positions[id] ?? auto[id];
    if (p && p.x > maxX) {
      maxX = p.x;
      y = p.y;
    }
  }
  // The first task of an empty canvas sits clear of its edges (the view starts at the origin).
  return maxX === -Infinity ? { x: 40, y: 40 } : { x: maxX + 240, y };
}

function ValidationSummary({
  errors,
  pending,
}: {
  errors: readonly ValidationError[];
  pending: boolean;
}) {
  if (pending) return <span className="text-xs text-muted">checking…</span>;
  if (!errors.length) {
    return (
      <span className="text-xs text-ok" data-testid="validation-ok">
        valid
      </span>
    );
  }
  return (
    <details className="relative text-xs" data-testid="validation-errors">
      <summary className="flex cursor-pointer items-center gap-1 text-bad">
        <AlertTriangle aria-hidden size={14} /> {errors.length} problem
        {errors.length === 1 ? '' : 's'}
      </summary>
      <ul className="absolute right-0 z-20 mt-1 max-h-80 w-[420px] overflow-auto rounded-md border border-border bg-panel p-2 shadow-lg">
        {errors.slice(0, 100).map((e, i) => (
          <li key={i} className="border-b border-border py-1 last:border-0">
            <span className="font-mono text-muted">{e.path || '(workflow)'}</span>: {e.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return (
    el.tagName === 'INPUT' ||
    el.tagName === 'TEXTAREA' ||
    el.tagName === 'SELECT' ||
    el.isContentEditable ||
    Boolean(el.closest?.('.cm-editor'))
  );
}

/** Ctrl-Z / Ctrl-Shift-Z (or Ctrl-Y), Ctrl-C / Ctrl-V, Ctrl-S; text fields keep their own. */
function useEditorShortcuts(h: {
  enabled: boolean;
  undo: () => void;
  redo: () => void;
  save: () => void;
  copy: () => void;
  paste: () => void | Promise<void>;
}) {
  const ref = useRef(h);
  ref.current = h;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const key = e.key.toLowerCase();
      if (key === 's') {
        e.preventDefault();
        ref.current.save();
        return;
      }
      if (!ref.current.enabled || isTyping(e.target)) return;
      if (key === 'z' && !e.shiftKey) ref.current.undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') ref.current.redo();
      else if (key === 'c') ref.current.copy();
      else if (key === 'v') void ref.current.paste();
      else return;
      e.preventDefault();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** Leaving with unsaved changes asks first: closing the tab, and links inside the app. */
function useUnsavedGuard(active: boolean) {
  useEffect(() => {
    if (!active) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    const onClick = (e: MouseEvent) => {
      const a = (e.target as HTMLElement | null)?.closest?.('a[href]') as HTMLAnchorElement | null;
      if (!a || a.target === '_blank' || e.defaultPrevented) return;
      if (new URL(a.href, location.href).pathname === location.pathname) return;
      if (!window.confirm('You have unsaved changes. Leave without saving?')) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
    };
  }, [active]);
}

function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

function createdText(name: string, version: number): string {
  return `Created ${name} (version ${version}).`;
}
