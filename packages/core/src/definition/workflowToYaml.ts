// The one YAML writer of workflow documents (exports, diffs, the editor's YAML tab), so that what
// it writes parseWorkflowText reads back as the same document.
import { Document, isScalar, visit } from 'yaml';

/**
 * `value` as YAML: keys in their order, no line folding, never anchors/aliases (shared objects
 * are spelled out). A key `<<` (say, in an HTTP body) is quoted: plain, the reader would take it
 * for a YAML merge key.
 */
export function workflowToYaml(value: unknown): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') pair.key.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ lineWidth: 0 });
}
