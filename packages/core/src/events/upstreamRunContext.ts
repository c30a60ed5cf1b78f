// What the params of an `after` trigger can read about the upstream run that ended:
//   upstream_run.id | .number | .status | .workflow | .logical_date
//   upstream_run.params.<name>         the upstream run's params
//   upstream_run.outputs.<task>[.path] an upstream task's output (null when it produced none)

export const UPSTREAM_RUN_FIELDS = [
  'id',
  'number',
  'status',
  'workflow',
  'logical_date',
  'params',
  'outputs',
] as const;

export interface UpstreamRunFacts {
  id: string;
  number: number;
  status: string;
  workflow: string;
  logicalDate: Date | null;
  params: Record<string, unknown>;
  outputs: Record<string, unknown>;
}

/** The template context for an `after` trigger's params (rendered with renderTemplateValue). */
export function upstreamRunContext(run: UpstreamRunFacts): {
  upstream_run: Record<string, unknown>;
} {
  return {
    upstream_run: {
      id: run.id,
      number: run.number,
      status: run.status,
      workflow: run.workflow,
      logical_date: run.logicalDate ? run.logicalDate.toISOString() : null,
      params: run.params,
      outputs: run.outputs,
    },
  };
}
