// Size and range limits of a workflow definition, in one place so the docs and the checks agree.

export const LIMITS = {
  /** Tasks per workflow: keeps validation, planning and the UI graph responsive. */
  maxTasks: 10_000,
  maxNameLength: 100,
  maxTaskIdLength: 64,
  maxDescriptionLength: 10_000,
  maxTags: 50,
  maxAttempts: 100,
  minPriority: -100,
  maxPriority: 100,
  maxSchedules: 100,
  maxTriggers: 100,
  maxParams: 200,
  /** Nesting depth of param schemas and JSON values (http bodies, noop results, defaults). */
  maxDepth: 32,
  /**
   * Nesting depth of a whole workflow file or API input: room for JSON values of `maxDepth`
   * inside. Deeper texts are refused before they are parsed (a parser's recursion would overflow).
   */
  maxDocumentDepth: 64,
} as const;
