// The contract of a task kind. A new kind is one module exporting a TaskKind, listed in index.ts.
import type { z } from 'zod';
import type { Issue } from '../issue';

export interface TaskKind<
  Name extends string = string,
  Shape extends z.ZodRawShape = z.ZodRawShape,
> {
  kind: Name;
  /** One line for docs, `dtss` help and the UI's kind picker. */
  description: string;
  /** The kind's own fields. They sit flat on the task, next to the common fields. */
  configSchema: z.ZodObject<Shape>;
  /**
   * Fields rendered as templates before execution, as dotted patterns relative to the task:
   * `*` matches every key (or item) at that level, `**` every string at any depth below.
   */
  templateFields: readonly string[];
  /**
   * Rules across fields that a schema states badly ("script or file, not both"). Runs on the raw
   * task even when the schema failed, so the author sees these problems in the same pass.
   * Paths are relative to the task.
   */
  checkConfig?: (raw: Record<string, unknown>) => Issue[];
}

/** Identity helper that keeps the literal kind name and field types for inference. */
export function defineKind<Name extends string, Shape extends z.ZodRawShape>(
  kind: TaskKind<Name, Shape>,
): TaskKind<Name, Shape> {
  return kind;
}
