// The editor's state: the workflow in its input form (as an author writes it in YAML) plus where
// each task's node sits on the canvas. States are immutable: every change returns new objects and
// keeps unchanged task objects identical by reference, so memoised nodes do not re-render.

export type Pos = { x: number; y: number };

/** A task as written: `kind` plus any fields; `needs` may be one id or a list. */
export type TaskDoc = { kind: string; needs?: string[] | string; [field: string]: unknown };

/** A workflow as written. Anything beyond `name` and `tasks` is kept as is. */
export type WorkflowDoc = {
  name: string;
  tasks: Record<string, TaskDoc>;
  [field: string]: unknown;
};

export interface EditorState {
  workflow: WorkflowDoc;
  /** Top-left corner of each task's node, by task id (React Flow's convention). */
  positions: Record<string, Pos>;
}

/** A dependency as an edge: `target` needs `source` (source runs first). */
export interface EdgeRef {
  source: string;
  target: string;
}

/** An outcome that may be refused, with a sentence saying why. */
export type EditResult = { ok: true; state: EditorState } | { ok: false; reason: string };
