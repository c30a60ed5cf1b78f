/**
 * The text form of a stored definition: versions store normalized JSON, so "the definition text"
 * is that JSON rendered as YAML in a stable key order. Diffs and exports use the same rendering,
 * so two versions differ in text exactly where their content differs.
 */
import { workflowToYaml, type NormalizedWorkflow } from '@dtss/core';
import { createTwoFilesPatch } from 'diff';

export function definitionToYaml(definition: NormalizedWorkflow): string {
  return workflowToYaml(definition);
}

/** A unified diff (`--- a`, `+++ b`, `@@` hunks) between two definitions' texts. */
export function definitionDiff(
  from: { label: string; definition: NormalizedWorkflow },
  to: { label: string; definition: NormalizedWorkflow },
  context: number,
): string {
  return createTwoFilesPatch(
    from.label,
    to.label,
    definitionToYaml(from.definition),
    definitionToYaml(to.definition),
    undefined,
    undefined,
    { context },
  );
}
