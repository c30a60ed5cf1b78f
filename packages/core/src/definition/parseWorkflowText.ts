// Reads a workflow file's text (YAML or JSON), then validates it. Syntax errors and validation
// errors come back in the same shape, with 1-based line and column where the source tells them.
import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { formatPath, type Issue, type PathSegment, type ValidationError } from './issue';
import { jsonErrorOffset } from './jsonErrorOffset';
import { LIMITS } from './limits';
import { keyAt, locateYamlPath } from './locateYamlPath';
import { findDeepNesting } from './textNesting';
import { checkWorkflow, type WorkflowValidationResult } from './validateWorkflow';

export type WorkflowFormat = 'yaml' | 'json';

export interface ParseWorkflowTextOptions {
  /** Default: from the filename's extension (.json → json), else yaml (YAML also reads JSON). */
  format?: WorkflowFormat;
  /** Used to pick the format; callers prefix it to printed errors. */
  filename?: string;
}

const YAML_OPTIONS = {
  prettyErrors: false,
  // Problems are reported as validation errors; the yaml library must not print warnings itself.
  logLevel: 'error',
  uniqueKeys: true,
  // `<<: *defaults` is how YAML authors share task settings.
  merge: true,
} as const;

/** Aliases may expand a document a lot ("billion laughs"); real workflows use a handful. */
const MAX_ALIAS_COUNT = 1000;

export function parseWorkflowText(
  text: string,
  options: ParseWorkflowTextOptions = {},
): WorkflowValidationResult {
  const format =
    options.format ?? (options.filename?.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
  const tooDeep = findDeepNesting(text, LIMITS.maxDocumentDepth);
  if (tooDeep !== null) {
    const before = text.slice(0, tooDeep);
    const line = before.split('\n').length;
    const column = tooDeep - before.lastIndexOf('\n');
    const message = `nested deeper than ${LIMITS.maxDocumentDepth} levels`;
    return { ok: false, errors: [{ path: '', message, line, column }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter });

  let value: unknown;
  const duplicates: ValidationError[] = [];
  if (format === 'json') {
    const parsed = parseJson(text, doc, lineCounter);
    if (!parsed.ok) return { ok: false, errors: [parsed.error] };
    value = parsed.value;
  }
  const syntax: ValidationError[] = [];
  for (const error of doc.errors) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    if (error.code === 'DUPLICATE_KEY')
      duplicates.push(duplicateKeyError(doc, lineCounter, error.pos[0], line, col));
    else if (format === 'yaml')
      syntax.push({
        path: '',
        message: `${firstLine(error.message)}${SYNTAX_HINTS[error.code] ?? ''}`,
        line,
        column: col,
      });
  }
  if (syntax.length > 0) return { ok: false, errors: syntax };

  if (format === 'yaml') {
    if (doc.contents === null) {
      return {
        ok: false,
        errors: [
          { path: '', message: 'the file is empty (expected a workflow with name and tasks)' },
        ],
      };
    }
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (error) {
      // Expanding aliases failed (too many of them, a merge of something not a mapping): the
      // first alias is where to look.
      const alias = firstAliasOffset(doc);
      const message = (error as Error).message;
      if (alias === undefined) return { ok: false, errors: [{ path: '', message }] };
      const { line, col } = lineCounter.linePos(alias);
      return { ok: false, errors: [{ path: '', message, line, column: col }] };
    }
  }

  const result = checkWorkflow(value);
  if (result.ok && duplicates.length === 0) return result;
  const located = result.ok
    ? []
    : result.issues.map((issue) => locate(issue, doc, lineCounter, text));
  return { ok: false, errors: [...duplicates, ...located] };
}

/** The offset of the document's first alias (`*name`), if it has one. */
function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function parseJson(
  text: string,
  doc: Document,
  lineCounter: LineCounter,
): { ok: true; value: unknown } | { ok: false; error: ValidationError } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    // V8 quotes the input (or its first characters, then `...`) in some messages; keep the first
    // clause only.
    const message = (error as Error).message.replace(/, "[\s\S]*"(\.\.\.)? is not valid JSON$/, '');
    const position = /at position (\d+)/.exec(message);
    // Without a position in the message (a YAML comment, a stray character: V8 quotes the text
    // instead), the scanner finds it.
    const offset = position
      ? Number(position[1])
      : (jsonErrorOffset(text) ?? doc.errors[0]?.pos[0]);
    const clean = message.replace(/ in JSON at position \d+.*$/, '');
    if (offset === undefined)
      return { ok: false, error: { path: '', message: `invalid JSON: ${clean}` } };
    const { line, col } = lineCounter.linePos(offset);
    return { ok: false, error: { path: '', message: `invalid JSON: ${clean}`, line, column: col } };
  }
}

function duplicateKeyError(
  doc: Document,
  lineCounter: LineCounter,
  offset: number,
  line: number,
  column: number,
): ValidationError {
  const found = keyAt(doc, offset);
  if (!found) return { path: '', message: 'duplicate key', line, column };
  const { path } = found;
  const key = String(path[path.length - 1]);
  const parent = path.slice(0, -1);
  const first =
    found.firstOffset === undefined ? undefined : lineCounter.linePos(found.firstOffset).line;
  const firstLine =
    first !== undefined && first !== line ? ` (first defined on line ${first})` : '';
  const what = parent.length === 1 && parent[0] === 'tasks' ? 'task id' : 'key';
  return {
    path: formatPath(path),
    message: `duplicate ${what} "${key}"${firstLine}`,
    line,
    column,
  };
}

function locate(
  issue: Issue,
  doc: Document,
  lineCounter: LineCounter,
  text: string,
): ValidationError {
  const position = locateYamlPath(doc, lineCounter, issue.path);
  const error: ValidationError = {
    path: formatPath(issue.path),
    message: issue.message + unquotedTemplateHint(doc, issue, text),
  };
  if (position) {
    error.line = position.line;
    error.column = position.column;
  }
  return error;
}

/** What usually causes these YAML errors in a workflow file. */
const SYNTAX_HINTS: Partial<Record<string, string>> = {
  BLOCK_AS_IMPLICIT_KEY: ' (a value containing ": " must be quoted)',
  TAB_AS_INDENT: ' (indent with spaces)',
  BAD_SCALAR_START: ' (quote the value)',
};

/**
 * `command: {{ params.x }}` is a YAML flow mapping, not a string: when a value that should be a
 * string is a mapping written as `{{…`, say so.
 */
function unquotedTemplateHint(doc: Document, issue: Issue, text: string): string {
  if (!issue.message.startsWith('expected a string, got an object')) return '';
  const node = doc.getIn(issue.path as PathSegment[], true) as
    { range?: [number, number, number] } | undefined;
  const start = node?.range?.[0];
  if (start === undefined || !text.startsWith('{{', start)) return '';
  const end = text.indexOf('}}', start);
  const shown = end === -1 ? '{{ … }}' : text.slice(start, end + 2);
  return ` (YAML reads a value starting with "{{" as a mapping: quote it, '${shown}')`;
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
