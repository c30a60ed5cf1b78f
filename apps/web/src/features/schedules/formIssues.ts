// The server's field issues (packages/api's error formatter: `{ path, message }`) placed on the
// fields of a form. Update inputs nest the fields under `changes.`; params problems are reported
// at `params.<name>` and belong to the params field.
import type { ApiIssue } from '@/trpc/errors';

/**
 * Issues by field name (a field may be nested, e.g. `settings.url`); those of no known field under
 * '' (shown on the form itself).
 */
export function issuesByField(
  issues: readonly ApiIssue[],
  fields: readonly string[],
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of issues) {
    const path = issue.path.replace(/^changes\./, '');
    // The longest listed field the path is in: 'rule.name' for rule.name, 'params' for params.x.
    const field =
      fields
        .filter((f) => path === f || path.startsWith(`${f}.`) || path.startsWith(`${f}[`))
        .sort((a, b) => b.length - a.length)[0] ?? '';
    const message =
      field === 'params' && path !== 'params' ? `${path}: ${issue.message}` : issue.message;
    (out[field] ??= []).push(field === '' && path ? `${path}: ${issue.message}` : message);
  }
  return out;
}
