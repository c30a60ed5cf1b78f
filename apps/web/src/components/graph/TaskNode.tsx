'use client';
import { Handle, Position, useStore, type Node, type NodeProps } from '@xyflow/react';
import { AlertCircle, Braces, Globe, Circle, FileCode2, TerminalSquare } from 'lucide-react';
import { memo } from 'react';
import { statusColor, statusLabel } from '@/components/ui/status';
import { useLiveStatus } from './liveStatus';
import { isFar } from './zoom';

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 52;

export interface TaskNodeData extends Record<string, unknown> {
  kind: string;
  /** Errors of this task from validation (editor only). */
  errorCount?: number;
  firstError?: string;
  /** Live status (run pages). */
  status?: string;
  /** Run pages: duration and attempts, after the status. */
  detail?: string;
  /** On the run's critical path. */
  critical?: boolean;
  subtitle?: string;
}
export type TaskFlowNode = Node<TaskNodeData, 'task'>;

const KIND_ICON: Record<string, typeof Circle> = {
  shell: TerminalSquare,
  node: Braces,
  python: FileCode2,
  http: Globe,
  noop: Circle,
};

/**
 * One task on a canvas (editor, workflow page, run page). Memoised: React Flow hands it a new
 * object only when this node changed, so a drag or a status change re-renders one node, not 500.
 */
export const TaskNode = memo(function TaskNode({ id, data, selected }: NodeProps<TaskFlowNode>) {
  const far = useStore(isFar);
  const { status, ref } = useLiveStatus<HTMLDivElement>(id, data.status, paintStatus);
  const Icon = KIND_ICON[data.kind] ?? Circle;
  const errors = data.errorCount ?? 0;
  const problems = errors
    ? `${errors} problem${errors === 1 ? '' : 's'}: ${data.firstError ?? ''}`
    : undefined;
  const box = boxProps(id, errors, selected, status, data.critical);
  if (far)
    return (
      <div
        {...box}
        ref={ref}
        className="h-full w-full rounded-lg border bg-panel"
        title={problems ? `${id}: ${problems}` : id}
      >
        <MeasuredHandle nodeId={id} type="target" />
        <MeasuredHandle nodeId={id} type="source" />
      </div>
    );
  return (
    <div
      {...box}
      ref={ref}
      className="flex h-full w-full items-center gap-2 rounded-lg border bg-panel px-2.5 text-left shadow-sm"
      title={problems}
    >
      <Handle type="target" position={Position.Left} />
      <Icon aria-hidden size={16} className="shrink-0 text-muted" />
      <div className="min-w-0 flex-1">
        <div className="truncate text-[13px] font-medium text-fg">{id}</div>
        <div className="truncate text-[11px] text-muted">
          {status ? (
            <span data-part="status">{statusLabel(status)}</span>
          ) : (
            (data.subtitle ?? data.kind)
          )}
          {data.detail ? ` · ${data.detail}` : null}
        </div>
      </div>
      {errors ? (
        <span
          className="flex items-center gap-0.5 text-[11px] font-semibold text-bad"
          aria-label={`${errors} problem${errors === 1 ? '' : 's'}`}
          data-testid="node-error-badge"
        >
          <AlertCircle aria-hidden size={13} />
          {errors}
        </span>
      ) : null}
      <Handle type="source" position={Position.Right} />
    </div>
  );
});

/**
 * A handle as React Flow measures it (it reads the `source`/`target` elements of a node and their
 * `data-handlepos`), without its Handle component's connection logic: at far zoom nobody aims
 * at a dot under a pixel wide, and 1,000 Handle components cost more than the 500 boxes they sit
 * on. Zooming in renders real Handles in the same places.
 */
function MeasuredHandle({ nodeId, type }: { nodeId: string; type: 'source' | 'target' }) {
  const position = type === 'source' ? Position.Right : Position.Left;
  return (
    <div
      data-nodeid={nodeId}
      data-handlepos={position}
      className={`react-flow__handle react-flow__handle-${position} nodrag nopan ${type}`}
    />
  );
}

/** A live status change on a drawn node: what boxProps and the label would render for it. */
function paintStatus(el: HTMLDivElement, status: string): void {
  el.dataset.status = status;
  el.style.borderLeft = statusBorder(status);
  const label = el.querySelector('[data-part="status"]')?.firstChild;
  if (label) label.nodeValue = statusLabel(status);
}

function statusBorder(status: string | undefined): string {
  return `4px solid ${status ? statusColor(status) : 'var(--border)'}`;
}

/** What both drawings of a task share: test id, data attributes and the border's colours. */
function boxProps(
  id: string,
  errors: number,
  selected: boolean,
  status: string | undefined,
  critical: boolean | undefined,
) {
  return {
    'data-testid': `task-node-${id}`,
    'data-errors': errors,
    'data-status': status,
    'data-critical': critical ? 'true' : undefined,
    style: {
      borderColor: errors ? 'var(--bad)' : selected || critical ? 'var(--accent)' : 'var(--border)',
      // The critical path is outlined in the accent colour; selection adds a ring around it.
      borderWidth: critical ? 2 : undefined,
      borderLeft: statusBorder(status),
      boxShadow: selected ? '0 0 0 2px var(--accent)' : undefined,
    },
  };
}

export const NODE_TYPES = { task: TaskNode };
