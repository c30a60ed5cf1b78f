// Renders every templated field of a task (the same fields validation checked) for one attempt.
import { COMMON_TEMPLATE_FIELDS } from '../definition/checks/checkTemplates';
import { getTaskKind } from '../definition/kinds';
import type { PathSegment } from '../definition/issue';
import type { NormalizedTask } from '../definition/types';
import { renderTemplate, type TemplateContext } from './renderTemplate';
import { hasTemplateSyntax } from './parseTemplate';
import { templatedStrings } from './templatedStrings';

/** A copy of `task` with its templates filled from `context`; throws TemplateError on a missing value. */
export function renderTask<T extends NormalizedTask>(task: T, context: TemplateContext): T {
  const fields = templatedStrings(task, [
    ...COMMON_TEMPLATE_FIELDS,
    ...(getTaskKind(task.kind)?.templateFields ?? []),
  ]).filter((f) => hasTemplateSyntax(f.text));
  if (fields.length === 0) return task;
  const copy = structuredClone(task);
  for (const field of fields) setAt(copy, field.path, renderTemplate(field.text, context));
  return copy;
}

function setAt(root: unknown, path: PathSegment[], value: string): void {
  let current = root as Record<PathSegment, unknown>;
  for (let i = 0; i < path.length - 1; i++)
    current = current[path[i]!] as Record<PathSegment, unknown>;
  current[path[path.length - 1]!] = value;
}
