// Rewrites `{{ tasks.<id>… }}` references when task ids change (rename, paste). Templates are read
// with @dtss/core's parseTemplate, so only real expressions change: plain text that happens to say
// "tasks.a.output", escaped `\{{`, and strings that are not valid templates stay as they are.
import { parseTemplate } from '@dtss/core';
import { isRecord } from './util';

/**
 * Every string inside `value` (at any depth; keys excluded) with references to tasks in `renames`
 * pointed at their new ids. Returns `value` itself when nothing changed, and keeps unchanged
 * branches identical by reference.
 */
export function rewriteTaskRefs<T>(value: T, renames: ReadonlyMap<string, string>): T {
  if (renames.size === 0) return value;
  return rewrite(value, renames) as T;
}

function rewrite(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (typeof value === 'string') return rewriteString(value, renames);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item) => {
      const next = rewrite(item, renames);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? out : value;
  }
  if (isRecord(value)) {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const next = rewrite(item, renames);
      if (next !== item) {
        out ??= { ...value };
        out[key] = next;
      }
    }
    return out ?? value;
  }
  return value;
}

export function rewriteString(text: string, renames: ReadonlyMap<string, string>): string {
  if (!text.includes('{{')) return text;
  const parsed = parseTemplate(text);
  if (!parsed.ok) return text;
  let out = '';
  let copied = 0;
  for (const part of parsed.template.parts) {
    if (part.type !== 'expression' || part.path[0] !== 'tasks') continue;
    const renamed = renames.get(part.path[1] ?? '');
    if (renamed === undefined) continue;
    // The expression starts `tasks.<id>` after optional spaces inside the braces.
    const start = text.indexOf(`tasks.${part.path[1]}`, part.offset + 2);
    if (start === -1) continue;
    out += `${text.slice(copied, start)}tasks.${renamed}`;
    copied = start + `tasks.${part.path[1]}`.length;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
