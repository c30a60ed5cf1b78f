'use client';
import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  Controls,
  getNodesBounds,
  getViewportForBounds,
  MiniMap,
  ReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type NodeHandle,
  Position,
  type ReactFlowInstance,
  type Viewport,
  useStore,
} from '@xyflow/react';
import {
  useCallback,
  useEffect,
  useLayoutEffect,
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
import { EDGE_TYPES } from './TaskEdge';
import { LiveStatusContext, type LiveStatusSource } from './liveStatus';
import { useAutoLayout } from './useAutoLayout';
import { FAR_ZOOM, isFar } from './zoom';

type Pos = { x: number; y: number };
// Module constants: a fresh array or object per render would be a changed prop to React Flow.
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Shift', 'Meta', 'Control'];
const EDGE_OPTIONS = { type: 'task' };
const FIT_PADDING = 0.1;
const FIT_OPTIONS = { padding: FIT_PADDING, maxZoom: 1 };
const MIN_ZOOM = 0.05;
/** A large graph opened at its start ('start'): text readable, a few dozen tasks in view; the
 * margin leaves the "Show all" button clear of the first column. */
const START_ZOOM = 0.6;
const START_MARGIN = 48;
const ORIGIN: Viewport = { x: 0, y: 0, zoom: 1 };
/** From this many tasks, offscreen elements are culled and the minimap waits for the canvas. */
const LARGE_GRAPH = 150;
/**
 * Every node's size and handles, known without measuring (TaskNode draws them there: 6 px dots
 * centred on the left and right edges). React Flow otherwise renders every node once to measure
 * it before culling, which for a 1,000-task run drew 1,000 nodes to show 20.
 */
const NODE_SIZE = { width: NODE_WIDTH, height: NODE_HEIGHT };
const HANDLE = 6;
const NODE_HANDLES: NodeHandle[] = [
  {
    type: 'target',
    position: Position.Left,
    x: -HANDLE / 2,
    y: NODE_HEIGHT / 2 - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
  {
    type: 'source',
    position: Position.Right,
    x: NODE_WIDTH - HANDLE / 2,
    y: NODE_HEIGHT / 2 - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  },
];
export interface CanvasTask {
  kind: string;
  subtitle?: string;
  status?: string;
  /** Run pages: duration and attempts, after the status. */
  detail?: string;
  /** On the run's critical path. */
  critical?: boolean;
  errorCount?: number;
  firstError?: string;
}

export interface CanvasEdge {
  id: string;
  source: string;
  target: string;
  /** Both ends on the run's critical path, one after the other. */
  critical?: boolean;
}

export interface WorkflowCanvasProps {
  /** Tasks by id; an unchanged entry (same object) keeps its node object, so it does not re-render. */
  tasks: ReadonlyMap<string, CanvasTask>;
  edges: readonly CanvasEdge[];
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
  /**
   * How a graph too large to read when fitted opens: 'fit' shows all of it; 'start' opens at a
   * readable zoom on its first tasks (only those are drawn), with a button that shows all.
   */
  largeOpens?: 'fit' | 'start';
  /** Statuses newer than `tasks` (a run's stream): a node shows its own as soon as it changes. */
  liveStatuses?: LiveStatusSource;
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
  // starts with the graph instead of rendering an empty canvas first.
  const [nodes, setNodes] = useState<TaskFlowNode[]>(() =>
    auto ? deriveNodes([], tasks, positions, auto, readOnly) : [],
  );
  const [edges, setEdges] = useState<Edge[]>(() => deriveEdges([], edgeList, readOnly));
  const flow = useRef<ReactFlowInstance<TaskFlowNode, Edge> | null>(null);
  // React Flow mounts once the canvas's size and the graph are known, with the view already fitted
  // to the graph: it renders every node once, at the zoom it will be seen at, instead of rendering
  // at zoom 1 and fitting afterwards. A canvas that opened empty keeps zoom 1, so tasks dropped on
  // it stay where dropped; one measured at no size (a hidden tab) lets React Flow fit it later.
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const el = box.current;
    if (el) setSize({ width: el.clientWidth, height: el.clientHeight });
  }, []);
  const [fitOnInit] = useState(tasks.size > 0);
  const [far, setFar] = useState(false);
  const [view, setView] = useState<InitialView | null>(null);
  const [partial, setPartial] = useState(false);
  if (view === null && size !== null && (!fitOnInit || nodes.length === tasks.size)) {
    const v = initialView(fitOnInit ? nodes : [], size, props.largeOpens ?? 'fit');
    setView(v);
    setFar(v.viewport.zoom < FAR_ZOOM);
    setPartial(v.partial);
  }
  const [fitPending, setFitPending] = useState(false);
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

  // Nodes and edges follow the tasks, reusing every object whose inputs did not change. Derived
  // while rendering (React renders again at once, before painting), not in an effect: an effect
  // runs after a paint, and each paint of a large canvas held a live status change back.
  const [nodeInputs, setNodeInputs] = useState({ tasks, positions, auto, readOnly });
  if (
    auto &&
    (nodeInputs.tasks !== tasks ||
      nodeInputs.positions !== positions ||
      nodeInputs.auto !== auto ||
      nodeInputs.readOnly !== readOnly)
  ) {
    setNodeInputs({ tasks, positions, auto, readOnly });
    setNodes((prev) => deriveNodes(prev, tasks, positions, auto, readOnly));
  }
  const [edgeInputs, setEdgeInputs] = useState({ edgeList, readOnly });
  if (edgeInputs.edgeList !== edgeList || edgeInputs.readOnly !== readOnly) {
    setEdgeInputs({ edgeList, readOnly });
    setEdges((prev) => deriveEdges(prev, edgeList, readOnly));
  }

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

  const ready = view !== null && auto !== null && nodes.length === tasks.size && !fitPending;
  // A small read-only graph fits its card; the minimap would only cover it.
  const wantsMap = !readOnly || tasks.size > 20;
  const mapShown = useIdleAfter(ready && wantsMap && tasks.size > LARGE_GRAPH);

  return (
    <div
      ref={box}
      className="relative h-full w-full"
      data-testid={props.testId ?? 'workflow-canvas'}
      data-ready={ready ? 'true' : 'false'}
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
      {/* Before the canvas in the DOM: the first stop for a keyboard user. */}
      {partial && ready ? (
        <button
          type="button"
          className="absolute top-2 left-2 z-10 rounded-md border border-border bg-panel px-2 py-1 text-xs font-medium shadow-sm hover:bg-panel-2"
          onClick={() => {
            setPartial(false);
            void flow.current?.fitView(FIT_OPTIONS);
          }}
          data-testid="graph-show-all"
        >
          Show all {tasks.size} tasks
        </button>
      ) : null}
      {view === null ? (
        tasks.size > 0 ? (
          <p className="p-4 text-sm text-muted" role="status">
            Laying out {tasks.size} task{tasks.size === 1 ? '' : 's'}…
          </p>
        ) : null
      ) : (
        <LiveStatusContext.Provider value={props.liveStatuses ?? null}>
          <ReactFlow<TaskFlowNode, Edge>
            nodes={nodes}
            edges={edges}
            nodeTypes={NODE_TYPES}
            edgeTypes={EDGE_TYPES}
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
            // A read-only edge has nothing to do: not one tab stop per edge of a large run.
            edgesFocusable={!readOnly}
            deleteKeyCode={readOnly ? null : DELETE_KEYS}
            multiSelectionKeyCode={MULTI_SELECT_KEYS}
            selectionKeyCode="Shift"
            defaultViewport={view.viewport}
            fitView={view.fitLater}
            fitViewOptions={FIT_OPTIONS}
            minZoom={MIN_ZOOM}
            maxZoom={2}
            // Zoomed out, every node is on screen: culling would only add work.
            onlyRenderVisibleElements={tasks.size > LARGE_GRAPH && !far}
            defaultEdgeOptions={EDGE_OPTIONS}
          >
            <ZoomLevel onFar={setFar} onFitPending={setFitPending} />
            <Background gap={16} size={1} />
            <Controls showInteractive={false} aria-label="Zoom controls" />
            {wantsMap && (tasks.size <= LARGE_GRAPH || mapShown) ? (
              <MiniMap pannable zoomable ariaLabel="Minimap" />
            ) : null}
          </ReactFlow>
        </LiveStatusContext.Provider>
      )}
      {props.overlay}
    </div>
  );
}

/**
 * True from the first idle moment after `when` became true. The minimap of a large graph repeats
 * every node in miniature: it is drawn just after the canvas instead of holding the canvas up.
 */
function useIdleAfter(when: boolean): boolean {
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!when || done) return;
    if (typeof requestIdleCallback !== 'function') {
      const t = setTimeout(() => setDone(true), 50);
      return () => clearTimeout(t);
    }
    const id = requestIdleCallback(() => setDone(true), { timeout: 500 });
    return () => cancelIdleCallback(id);
  }, [when, done]);
  return done;
}

interface InitialView {
  viewport: Viewport;
  /** The canvas had no size yet: React Flow fits the view once it has one. */
  fitLater: boolean;
  /** Only part of the graph is in view ('start'). */
  partial: boolean;
}

/**
 * The view that fits `nodes` in a canvas of `size` (React Flow's own fit, done before it mounts),
 * or, for a graph that would be unreadably small and `largeOpens` 'start', a readable zoom on its
 * first column: a 1,000-task run opens showing (and drawing) a few dozen tasks.
 */
function initialView(
  nodes: TaskFlowNode[],
  size: { width: number; height: number },
  largeOpens: 'fit' | 'start',
): InitialView {
  if (nodes.length === 0) return { viewport: ORIGIN, fitLater: false, partial: false };
  if (size.width === 0 || size.height === 0)
    return { viewport: ORIGIN, fitLater: true, partial: false };
  const fit = getViewportForBounds(
    getNodesBounds(nodes),
    size.width,
    size.height,
    MIN_ZOOM,
    FIT_OPTIONS.maxZoom,
    FIT_PADDING,
  );
  if (largeOpens === 'fit' || fit.zoom >= FAR_ZOOM) {
    return { viewport: fit, fitLater: false, partial: false };
  }
  // Layouts run left to right (computeLayout): the start is the first column, from its top.
  const left = Math.min(...nodes.map((n) => n.position.x));
  const column = nodes.filter((n) => n.position.x < left + NODE_WIDTH);
  const top = Math.min(...column.map((n) => n.position.y));
  const zoom = START_ZOOM;
  return {
    viewport: { x: START_MARGIN - left * zoom, y: START_MARGIN - top * zoom, zoom },
    fitLater: false,
    partial: true,
  };
}

function structureKey(
  tasks: ReadonlyMap<string, unknown>,
  edges: readonly { id: string }[],
): string {
  return `${[...tasks.keys()].join('\u0000')}\u0001${edges.map((e) => e.id).join('\u0000')}`;
}

/** Reports the view's state from inside React Flow: far zoom, and whether the first fit is done. */
function ZoomLevel({
  onFar,
  onFitPending,
}: {
  onFar: (far: boolean) => void;
  onFitPending: (pending: boolean) => void;
}) {
  const far = useStore(isFar);
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
      o.data.detail === t.detail &&
      o.data.critical === t.critical &&
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
      measured: NODE_SIZE,
      handles: NODE_HANDLES,
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
  edgeList: readonly CanvasEdge[],
  readOnly: boolean | undefined,
): Edge[] {
  const old = new Map(prev.map((e) => [e.id, e]));
  const next = edgeList.map((e) => {
    const o = old.get(e.id);
    if (o && Boolean(o.data?.critical) === Boolean(e.critical)) return o;
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      deletable: !readOnly,
      data: e.critical ? { critical: true } : undefined,
      className: e.critical ? 'critical' : undefined,
    };
  });
  return next.length === prev.length && next.every((e, i) => e === prev[i]) ? prev : next;
}
