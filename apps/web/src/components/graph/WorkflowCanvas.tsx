'use client';
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type ReactFlowInstance,
  useStore,
} from '@xyflow/react';
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type ReactNode,
} from 'react';
import { useColorMode } from '@/components/shell/ThemeToggle';
import {
  NODE_HEIGHT,
  NODE_TYPES,
  NODE_WIDTH,
  type TaskFlowNode,
  type TaskNodeData,
} from './TaskNode';
import { useAutoLayout } from './useAutoLayout';

type Pos = { x: number; y: number };
// Module constants: a fresh array or object per render would be a changed prop to React Flow.
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const EDGE_OPTIONS = { type: 'default' };
const FIT_OPTIONS = { padding: 0.1, maxZoom: 1 };
export interface CanvasTask {
  kind: string;
  subtitle?: string;
  status?: string;
  errorCount?: number;
  firstError?: string;
}

export interface WorkflowCanvasProps {
  /** Tasks by id; an unchanged entry (same object) keeps its node object, so it does not re-render. */
  tasks: ReadonlyMap<string, CanvasTask>;
  edges: readonly { id: string; source: string; target: string }[];
  positions: Record<string, Pos>;
  readOnly?: boolean;
  /** Editor hooks; a read-only canvas needs none. */
  onMove?: (moved: Record<string, Pos>) => void;
  onConnect?: (source: string, target: string) => void;
  /** Why a connection being drawn would be refused, or null when it is fine. */
  connectionProblem?: (source: string, target: string) => string | null;
  onDelete?: (tasks: string[], edges: { source: string; target: string }[]) => void;
  onSelectionChange?: (taskIds: string[]) => void;
  onDropKind?: (kind: string, at: Pos) => void;
  onNodeOpen?: (id: string) => void;
  /** Positions the automatic layout gave to tasks without stored ones (saved with the editor). */
  onAutoLayout?: (positions: Record<string, Pos>) => void;
  onConnectEnd?: () => void;
  /** Shown over the canvas (hints, refusals). */
  overlay?: ReactNode;
  testId?: string;
}

/**
 * The task graph on a React Flow canvas, for the editor and the read-only views. Layout is done
 * once per structure (useAutoLayout); live data (status, errors, selection) is painted on the
 * nodes without laying the graph out again.
 */
export function WorkflowCanvas(props: WorkflowCanvasProps) {
  const { tasks, edges: edgeList, positions, readOnly } = props;
  const colorMode = useColorMode();
  const shape = useMemo(
    () => ({
      ids: [...tasks.keys()],
      edges: edgeList.map((e) => ({ source: e.source, target: e.target })),
    }),
    // The structure changes only when ids or edges change, not when a task's fields do.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [structureKey(tasks, edgeList)],
  );
  const auto = useAutoLayout(shape, positions);
  const { onAutoLayout } = props;
  useEffect(() => {
    if (auto) onAutoLayout?.(auto);
  }, [auto, onAutoLayout]);
  // Built in the first render when the positions are known (stored or cached), so React Flow
  // starts with the graph and fits it once, instead of rendering an empty canvas first.
  const [nodes, setNodes] = useState<TaskFlowNode[]>(() =>
    auto ? deriveNodes([], tasks, positions, auto, readOnly) : [],
  );
  const [edges, setEdges] = useState<Edge[]>(() => deriveEdges([], edgeList, readOnly));
  const flow = useRef<ReactFlowInstance<TaskFlowNode, Edge> | null>(null);
  // The view is fitted once, by React Flow, to the graph the page opened with (when its nodes are
  // in); a canvas that opened empty keeps its zoom, so tasks dropped on it stay where dropped.
  const [fitOnInit] = useState(tasks.size > 0);
  const [fitPending, setFitPending] = useState(fitOnInit);
  const [far, setFar] = useState(false);
  // React Flow copies every prop into its store and re-runs its listeners (onSelectionChange
  // among them) when a handler's identity changes: the handlers below are stable and read the
  // latest props through this ref.
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  const handlers = useMemo(
    () => ({
      onInit: (instance: ReactFlowInstance<TaskFlowNode, Edge>) => {
        flow.current = instance;
      },
      onNodeDragStop: (_: unknown, __: unknown, dragged: TaskFlowNode[]) => {
        const moved: Record<string, Pos> = {};
        for (const n of dragged)
          moved[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
        latest.current.onMove?.(moved);
      },
      onConnect: (c: Connection) => latest.current.onConnect?.(c.source, c.target),
      onConnectEnd: () => latest.current.onConnectEnd?.(),
      onDelete: ({ nodes: ns, edges: es }: { nodes: TaskFlowNode[]; edges: Edge[] }) =>
        latest.current.onDelete?.(
          ns.map((n) => n.id),
          es.map((e) => ({ source: e.source, target: e.target })),
        ),
      onSelectionChange: ({ nodes: ns }: { nodes: TaskFlowNode[] }) =>
        latest.current.onSelectionChange?.(ns.map((n) => n.id)),
      onNodeDoubleClick: (_: unknown, n: TaskFlowNode) => latest.current.onNodeOpen?.(n.id),
    }),
    [],
  );

  // Nodes and edges follow the tasks, reusing every object whose inputs did not change.
  useEffect(() => {
    if (auto) setNodes((prev) => deriveNodes(prev, tasks, positions, auto, readOnly));
  }, [tasks, positions, auto, readOnly]);
  useEffect(() => {
    setEdges((prev) => deriveEdges(prev, edgeList, readOnly));
  }, [edgeList, readOnly]);

  const onNodesChange = useCallback(
    (changes: NodeChange<TaskFlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)),
    [],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => setEdges((es) => applyEdgeChanges(changes, es)),
    [],
  );

  const isValidConnection: IsValidConnection = useCallback(
    (c) => (c.source && c.target ? !latest.current.connectionProblem?.(c.source, c.target) : false),
    [],
  );

  const onDrop = useCallback((e: DragEvent) => {
    const kind = e.dataTransfer.getData('application/dtss-kind');
    const onDropKind = latest.current.onDropKind;
    if (!kind || !flow.current || !onDropKind) return;
    e.preventDefault();
    const p = flow.current.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    onDropKind(kind, {
      x: Math.round(p.x - NODE_WIDTH / 2),
      y: Math.round(p.y - NODE_HEIGHT / 2),
    });
  }, []);

  return (
    <div
      className="relative h-full w-full"
      data-testid={props.testId ?? 'workflow-canvas'}
      data-ready={auto !== null && nodes.length === tasks.size && !fitPending ? 'true' : 'false'}
      data-node-count={nodes.length}
      data-zoom={far ? 'far' : 'near'}
      onDragOver={(e) => {
        if (props.onDropKind) {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }
      }}
      onDrop={onDrop}
    >
      <ReactFlow<TaskFlowNode, Edge>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        colorMode={colorMode}
        onInit={handlers.onInit}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={handlers.onNodeDragStop}
        onConnect={handlers.onConnect}
        isValidConnection={isValidConnection}
        onConnectEnd={handlers.onConnectEnd}
        onDelete={handlers.onDelete}
        onSelectionChange={handlers.onSelectionChange}
        onNodeDoubleClick={handlers.onNodeDoubleClick}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable
        deleteKeyCode={readOnly ? null : DELETE_KEYS}
        multiSelectionKeyCode={MULTI_SELECT_KEYS}
        selectionKeyCode="Shift"
        fitView={fitOnInit}
        fitViewOptions={FIT_OPTIONS}
        minZoom={0.05}
        maxZoom={2}
        onlyRenderVisibleElements={tasks.size > 150}
        defaultEdgeOptions={EDGE_OPTIONS}
      >
        <ZoomLevel onFar={setFar} onFitPending={setFitPending} />
        <Background gap={16} size={1} />
        <Controls showInteractive={false} aria-label="Zoom controls" />
        {/* A small read-only graph fits its card; the minimap would only cover it. */}
        {!readOnly || tasks.size > 20 ? <MiniMap pannable zoomable ariaLabel="Minimap" /> : null}
      </ReactFlow>
      {props.overlay}
    </div>
  );
}

function structureKey(
  tasks: ReadonlyMap<string, unknown>,
  edges: readonly { id: string }[],
): string {
  return `${[...tasks.keys()].join('\u0000')}\u0001${edges.map((e) => e.id).join('\u0000')}`;
}

/**
 * Below this zoom a node is a few pixels tall: its text and handles are hidden (CSS on
 * data-zoom="far"), so a 500-task overview lays out and paints boxes, not 5,000 elements.
 */
const FAR_ZOOM = 0.35;

/** Reports the view's state from inside React Flow: far zoom, and whether the first fit is done. */
function ZoomLevel({
  onFar,
  onFitPending,
}: {
  onFar: (far: boolean) => void;
  onFitPending: (pending: boolean) => void;
}) {
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const fitPending = useStore((s) => s.fitViewQueued);
  useEffect(() => onFar(far), [far, onFar]);
  useEffect(() => onFitPending(fitPending), [fitPending, onFitPending]);
  return null;
}

function deriveNodes(
  prev: TaskFlowNode[],
  tasks: ReadonlyMap<string, CanvasTask>,
  positions: Record<string, Pos>,
  auto: Record<string, Pos>,
  readOnly: boolean | undefined,
): TaskFlowNode[] {
  const old = new Map(prev.map((n) => [n.id, n]));
  const next: TaskFlowNode[] = [];
  let reused = 0;
  for (const [id, t] of tasks) {
    const position = positions[id] ?? auto[id] ?? { x: 0, y: 0 };
    const o = old.get(id);
    if (
      o &&
      o.data.kind === t.kind &&
      o.data.status === t.status &&
      o.data.subtitle === t.subtitle &&
      o.data.errorCount === t.errorCount &&
      o.data.firstError === t.firstError &&
      o.position.x === position.x &&
      o.position.y === position.y
    ) {
      next.push(o);
      if (prev[next.length - 1] === o) reused++;
      continue;
    }
    const data: TaskNodeData = { ...t };
    next.push({
      id,
      type: 'task',
      position,
      data,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      selected: o?.selected ?? false,
      draggable: !readOnly,
      connectable: !readOnly,
      deletable: !readOnly,
    });
  }
  // Nothing changed: keep the array, so React Flow's store sees no update at all.
  return reused === prev.length && next.length === prev.length ? prev : next;
}

function deriveEdges(
  prev: Edge[],
  edgeList: readonly { id: string; source: string; target: string }[],
  readOnly: boolean | undefined,
): Edge[] {
  const old = new Map(prev.map((e) => [e.id, e]));
  const next = edgeList.map(
    (e) => old.get(e.id) ?? { id: e.id, source: e.source, target: e.target, deletable: !readOnly },
  );
  return next.length === prev.length && next.every((e, i) => e === prev[i]) ? prev : next;
}
