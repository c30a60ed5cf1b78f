// Template syntax: text with `{{ dotted.path }}` expressions; `\{{` writes a literal "{{".
//
// Only lookups, no logic: a template names a value (params.date, tasks.extract.output.rows,
// run.logical_date) and rendering inserts it. A stray "}}" is plain text, so JSON bodies such as
// {"a": {"b": 1}} need no escaping; an unclosed "{{" is an error.

export type TemplatePart =
  | { type: 'text'; value: string }
  | { type: 'expression'; path: string[]; source: string; offset: number };

export interface ParsedTemplate {
  parts: TemplatePart[];
}

export interface TemplateSyntaxIssue {
  message: string;
  /** 0-based index into the template text. */
  offset: number;
}

export type TemplateParseResult =
  { ok: true; template: ParsedTemplate } | { ok: false; error: TemplateSyntaxIssue };

/** One name segment (`output`, `my-task`, `0`) or a bracketed index (`[0]`). */
const EXPRESSION = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+|\[\d+\])*$/;

export function parseTemplate(text: string): TemplateParseResult {
  const parts: TemplatePart[] = [];
  let literal = '';
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open === -1) {
      literal += text.slice(pos);
      break;
    }
    if (open > 0 && text[open - 1] === '\\') {
      literal += `${text.slice(pos, open - 1)}{{`;
      pos = open + 2;
      continue;
    }
    literal += text.slice(pos, open);
    const close = text.indexOf('}}', open + 2);
    if (close === -1) {
      return fail(
        `unclosed "{{" at character ${open + 1} (expected "}}"; write \\{{ for a literal "{{")`,
        open,
      );
    }
    const source = text.slice(open + 2, close);
    const nested = source.indexOf('{{');
    if (nested !== -1) {
      return fail(
        `"{{" inside a template expression at character ${open + 3 + nested} (missing "}}"?)`,
        open,
      );
    }
    const expression = source.trim();
    if (expression === '') return fail(`empty template expression at character ${open + 1}`, open);
    if (!EXPRESSION.test(expression)) {
      return fail(
        `invalid template expression "{{${source}}}": expected a dotted name such as params.date or tasks.extract.output`,
        open,
      );
    }
    if (literal !== '') parts.push({ type: 'text', value: literal });
    literal = '';
    parts.push({
      type: 'expression',
      path: splitPath(expression),
      source: expression,
      offset: open,
    });
    pos = close + 2;
  }
  if (literal !== '') parts.push({ type: 'text', value: literal });
  return { ok: true, template: { parts } };
}

function fail(message: string, offset: number): TemplateParseResult {
  return { ok: false, error: { message, offset } };
}

/** `tasks.a.output.items[0]` → ['tasks', 'a', 'output', 'items', '0']. */
function splitPath(expression: string): string[] {
  return expression
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .filter((segment) => segment !== '');
}

/** True when the text contains a template expression (or an escape): cheap pre-check. */
export function hasTemplateSyntax(text: string): boolean {
  return text.includes('{{');
}

export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** parseTemplate for callers that treat bad syntax as exceptional (rendering at run time). */
export function parseTemplateOrThrow(text: string): ParsedTemplate {
  const result = parseTemplate(text);
  if (!result.ok) throw new TemplateError(result.error.message);
  return result.template;
}
