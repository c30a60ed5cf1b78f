'use client';
import { isTerminal, taskRunMachine } from '@dtss/core';
import { memo, useMemo } from 'react';
import {
  WorkflowCanvas,
  type CanvasEdge,
  type CanvasTask,
} from '@/components/graph/WorkflowCanvas';
import type { LiveStatusSource } from '@/components/graph/liveStatus';
import { edgeId } from '@/features/editor/model/edges';
import { durationMs } from '@/lib/format';
import type { RunView } from './liveRun';
import { elapsedMs } from './runFormat';
import type { GraphTasks } from './runForecast';

/**
 * The run's version graph, read-only, each task painted with its live status, duration and
 * attempts; the critical path outlined. Selecting a task opens it in the task panel.
 */
function RunGraphView({
  run,
  graph,
  layout,
  critical,
  liveStatuses,
  now,
  onSelect,
}: {
  run: RunView;
  graph: GraphTasks;
  layout: Record<string, { x: number; y: number }>;
  critical: readonly string[];
  /** The run stream's statuses, ahead of `run` while the page takes an event in. */
  liveStatuses?: LiveStatusSource;
  now: number;
  onSelect: (task: string | null) => void;
}) {
  const onPath = useMemo(() => new Set(critical), [critical]);
  const tasks = useMemo(() => {
    const m = new Map<string, CanvasTask>();
    for (const t of run.tasks) {
      const ended = isTerminal(taskRunMachine, t.status);
      const ms = ended && !t.finishedAt ? null : elapsedMs(t.startedAt, t.finishedAt, now);
      const parts = [];
      if (ms !== null) parts.push(durationMs(ms));
      if (t.attempts > 1) parts.push(`${t.attempts} attempts`);
      m.set(t.key, {
        kind: t.kind,
        status: t.status,
        detail: parts.join(' · ') || undefined,
        critical: onPath.has(t.key) || undefined,
      });
    }
    return m;
  }, [run.tasks, now, onPath]);
  const edges = useMemo(() => {
    const path = new Set<string>();
    for (let i = 1; i < critical.length; i++) path.add(edgeId(critical[i - 1]!, critical[i]!));
    const out: CanvasEdge[] = [];
    for (const t of run.tasks)
      for (const need of graph[t.key]?.needs ?? []) {
        const id = edgeId(need, t.key);
        out.push({ id, source: need, target: t.key, critical: path.has(id) || undefined });
      }
    return out;
  }, [run.tasks, graph, critical]);
  return (
    <WorkflowCanvas
      testId="run-graph"
      tasks={tasks}
      edges={edges}
      positions={layout}
      readOnly
      largeOpens="start"
      liveStatuses={liveStatuses}
      onSelectionChange={(ids) => onSelect(ids.length === 1 ? ids[0]! : null)}
    />
  );
}

/** Memoised: the run page renders it again only when its run, clock or path changed. */
export const RunGraph = memo(RunGraphView);
