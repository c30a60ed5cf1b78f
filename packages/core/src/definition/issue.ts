// The one error shape of definition validation: a path into the document and a human message.

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** Internal form: the path as segments, so a YAML source position can be found for it. */
export interface Issue {
  path: Path;
  message: string;
}

/** Public form, printed as `path: message`; line/column are 1-based and set when parsed from text. */
export interface ValidationError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** ['tasks', 'load', 'needs', 0] → `tasks.load.needs[0]`; odd keys are quoted: `env["MY VAR"]`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `path: message`, or just the message for errors about the document as a whole. */
export function formatValidationError(error: ValidationError): string {
  return error.path === '' ? error.message : `${error.path}: ${error.message}`;
}

export function toValidationError(issue: Issue): ValidationError {
  return { path: formatPath(issue.path), message: issue.message };
}

export function issue(path: Path, message: string): Issue {
  return { path, message };
}
