'use client';
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { AlertCircle, Braces, Globe, Circle, FileCode2, TerminalSquare } from 'lucide-react';
import { memo } from 'react';
import { statusColor, statusLabel } from '@/components/ui/status';

export const NODE_WIDTH = 184;
export const NODE_HEIGHT = 52;

export interface TaskNodeData extends Record<string, unknown> {
  kind: string;
  /** Errors of this task from validation (editor only). */
  errorCount?: number;
  firstError?: string;
  /** Live status (run pages). */
  status?: string;
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
  const Icon = KIND_ICON[data.kind] ?? Circle;
  const errors = data.errorCount ?? 0;
  return (
    <div
      data-testid={`task-node-${id}`}
      data-errors={errors}
      data-status={data.status}
      className="flex h-full w-full items-center gap-2 rounded-lg border bg-panel px-2.5 text-left shadow-sm"
      style={{
        borderColor: errors ? 'var(--bad)' : selected ? 'var(--accent)' : 'var(--border)',
        borderLeft: `4px solid ${data.status ? statusColor(data.status) : 'var(--border)'}`,
        boxShadow: selected ? '0 0 0 2px var(--accent)' : undefined,
      }}
      title={
        errors ? `${errors} problem${errors === 1 ? '' : 's'}: ${data.firstError ?? ''}` : undefined
      }
    >
      <Handle type="target" position={Position.Left} />
      <Icon aria-hidden size={16} className="task-node-detail shrink-0 text-muted" />
      <div className="task-node-detail min-w-0 flex-1">
        <div className="truncate text-[13px] font-medium text-fg">{id}</div>
        <div className="truncate text-[11px] text-muted">
          {data.status ? statusLabel(data.status) : (data.subtitle ?? data.kind)}
        </div>
      </div>
      {errors ? (
        <span
          className="task-node-detail flex items-center gap-0.5 text-[11px] font-semibold text-bad"
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

export const NODE_TYPES = { task: TaskNode };
