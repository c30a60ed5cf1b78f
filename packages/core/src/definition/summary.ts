// The summary of a valid workflow that `dtss validate` and the API report.
import { topologicalLayers } from '../dag/topologicalLayers';
import { plural } from '../util/describeValue';
import type { NormalizedWorkflow, WorkflowSummary } from './types';

export function summarize(workflow: NormalizedWorkflow): WorkflowSummary {
  return {
    name: workflow.name,
    taskCount: Object.keys(workflow.tasks).length,
    layerCount: topologicalLayers(workflow).length,
    paramCount: Object.keys(workflow.params).length,
    scheduleCount: workflow.schedules.length,
    triggerCount: workflow.triggers.length,
  };
}

/** `workflow "daily-etl", 5 tasks in 3 layers, 2 params, 1 schedule` (triggers when there are any). */
export function formatSummary(summary: WorkflowSummary): string {
  const parts = [
    `workflow "${summary.name}"`,
    `${plural(summary.taskCount, 'task')} in ${plural(summary.layerCount, 'layer')}`,
    plural(summary.paramCount, 'param'),
    plural(summary.scheduleCount, 'schedule'),
  ];
  if (summary.triggerCount > 0) parts.push(plural(summary.triggerCount, 'trigger'));
  return parts.join(', ');
}
