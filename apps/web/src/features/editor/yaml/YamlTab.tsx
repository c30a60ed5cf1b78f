'use client';
import { type ValidationError } from '@dtss/core';
import { useEffect, useRef, useState } from 'react';
import { LazyCodeEditor } from '@/components/code/LazyCodeEditor';
import { fromYaml, toYaml, type EditorState } from '../model';

type Commit = (next: (s: EditorState) => EditorState, mergeKey?: string) => void;

/**
 * The workflow as YAML. Typing updates the document (and so the canvas) once the text parses;
 * changes made elsewhere (undo, the canvas) rewrite the text unless it is the text's own change.
 */
export function YamlTab({
  state,
  readOnly,
  commit,
  errors,
}: {
  state: EditorState;
  readOnly: boolean;
  commit: Commit;
  errors: readonly ValidationError[];
}) {
  const [text, setText] = useState(() => toYaml(state.workflow));
  const [parseError, setParseError] = useState<{ message: string; line?: number } | null>(null);
  const own = useRef(state.workflow);
  const latest = useRef(state);
  latest.current = state;

  useEffect(() => {
    if (state.workflow === own.current) return;
    own.current = state.workflow;
    setText(toYaml(state.workflow));
    setParseError(null);
  }, [state.workflow]);

  // Typing is applied a moment after it stops; leaving the tab applies what is waiting, so a
  // switch to the canvas right after typing loses nothing.
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; text: string } | null>(null);
  function applyText(next: string) {
    pending.current = null;
    const r = fromYaml(next, latest.current);
    if (!r.ok) return setParseError({ message: r.message, line: r.line });
    setParseError(null);
    own.current = r.state.workflow;
    commit(() => r.state, 'yaml');
  }
  const apply = useRef(applyText);
  apply.current = applyText;
  const onChange = (next: string) => {
    setText(next);
    if (pending.current) clearTimeout(pending.current.timer);
    pending.current = { timer: setTimeout(() => apply.current(next), 250), text: next };
  };
  useEffect(
    () => () => {
      const waiting = pending.current;
      if (!waiting) return;
      clearTimeout(waiting.timer);
      apply.current(waiting.text);
    },
    [],
  );

  return (
    <div className="flex h-full min-h-0">
      <div className="min-w-0 flex-1 overflow-auto p-3">
        <LazyCodeEditor
          label="Workflow YAML"
          testId="yaml-editor"
          language="yaml"
          value={text}
          readOnly={readOnly}
          minHeight="400px"
          onChange={onChange}
        />
      </div>
      <aside
        aria-label="YAML problems"
        className="w-[340px] shrink-0 overflow-y-auto border-l border-border bg-panel p-3 text-xs"
      >
        <h2 className="mb-2 text-sm">Problems</h2>
        {parseError ? (
          <p className="text-bad" role="alert" data-testid="yaml-parse-error">
            {parseError.line ? `line ${parseError.line}: ` : ''}
            {parseError.message}
          </p>
        ) : errors.length === 0 ? (
          <p className="text-ok">None: the canvas shows this text.</p>
        ) : (
          <ul className="flex flex-col gap-1 text-bad">
            {errors.map((e, i) => (
              <li key={i}>
                <span className="font-mono">{e.path || '(workflow)'}</span>: {e.message}
              </li>
            ))}
          </ul>
        )}
      </aside>
    </div>
  );
}
