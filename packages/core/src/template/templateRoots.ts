// The names a template may start with, and the fields of the fixed ones.
//
//   params.<name>[.path]          a run param (declared in `params`)
//   tasks.<id>.output[.path]      output of an upstream task (its `::output::` JSON)
//   tasks.<id>.status             final status of an upstream task (succeeded, failed, skipped, …)
//   run.id | run.logical_date | run.trigger
//   workflow.name | workflow.version
//   task.id | task.attempt        the task being rendered; attempt counts from 1
//   event.name | event.payload[.path]   the event that started the run (workflows with triggers)

export const TEMPLATE_ROOTS = ['params', 'tasks', 'run', 'workflow', 'task', 'event'] as const;
export type TemplateRoot = (typeof TEMPLATE_ROOTS)[number];

/** Leaf fields of the fixed roots; `event.payload` is open-ended and handled apart. */
export const FIXED_ROOT_FIELDS: Readonly<
  Record<'run' | 'workflow' | 'task' | 'event', readonly string[]>
> = {
  run: ['id', 'logical_date', 'trigger'],
  workflow: ['name', 'version'],
  task: ['id', 'attempt'],
  event: ['name', 'payload'],
};

export const TASK_REF_FIELDS = ['output', 'status'] as const;
