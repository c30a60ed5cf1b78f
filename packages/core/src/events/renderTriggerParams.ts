// A trigger's params for one run: literal values as they are, template strings rendered over the
// event (or the upstream run). A lone `{{ … }}` keeps the value's type.
import { renderTemplateValue, type TemplateContext } from '../template/renderTemplate';

/** Throws TemplateError naming the expression when the event lacks a value the mapping reads. */
export function renderTriggerParams(
  mapping: Readonly<Record<string, unknown>> | null | undefined,
  context: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(mapping ?? {})) {
    out[name] =
      typeof value === 'string' && value.includes('{{')
        ? renderTemplateValue(value, context as TemplateContext)
        : value;
  }
  return out;
}
