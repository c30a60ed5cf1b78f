// Params of an `after` trigger are templates over the upstream run that ended (see
// packages/core/src/events/upstreamRunContext.ts for the values).
import { parseTemplate } from '../../template/parseTemplate';
import { didYouMean } from '../../util/suggest';
import type { Issue, Path } from '../issue';
import { UPSTREAM_RUN_FIELDS } from '../../events/upstreamRunContext';

export function checkUpstreamRunTemplate(text: string, path: Path, issues: Issue[]): void {
  const parsed = parseTemplate(text);
  if (!parsed.ok) {
    issues.push({ path, message: parsed.error.message });
    return;
  }
  for (const part of parsed.template.parts) {
    if (part.type !== 'expression') continue;
    const [root, field, ...deeper] = part.path;
    let problem: string | undefined;
    if (root !== 'upstream_run') {
      problem = `: only upstream_run.… can be used in the params of an "after" trigger (got ${part.path.join('.')})`;
    } else if (field === undefined || !(UPSTREAM_RUN_FIELDS as readonly string[]).includes(field)) {
      problem = `: upstream_run has no field "${field ?? ''}"${didYouMean(field ?? '', UPSTREAM_RUN_FIELDS) || ` (expected ${UPSTREAM_RUN_FIELDS.join(', ')})`}`;
    } else if (deeper.length > 0 && field !== 'outputs' && field !== 'params') {
      problem = `: upstream_run.${field} is a single value with no fields`;
    }
    if (problem) issues.push({ path, message: `template references ${part.source}${problem}` });
  }
}
