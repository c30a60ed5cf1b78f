// How deep a YAML (or JSON) text nests, measured on its tokens before anything parses it. The
// yaml library builds documents recursively: a text nested a few hundred levels deep overflows the
// stack inside it, and a stack overflow there can leave V8 unable to compile regular expressions
// afterwards (the next file, or the next request, kills the process). So deep texts are refused
// before they reach the parser.
import { CST, Lexer } from 'yaml';

/**
 * The offset of the first token nested deeper than `max` levels, or null. Flow collections
 * (`[`, `{`) count one level each; block collections one per indentation step and per `-` or `?`
 * indicator on a line: for ordinary YAML at most a level or two above the document's depth.
 */
export function findDeepNesting(text: string, max: number): number | null {
  let offset = 0;
  let lineStart = 0;
  let flow = 0;
  /** Columns of the open block levels. */
  const indents: number[] = [];
  let atLineStart = true;
  let afterIndicator = false;
  for (const token of new Lexer().lex(text)) {
    const type = CST.tokenType(token);
    const start = offset;
    // The lexer's markers (document, scalar, flow-end) are not source text.
    if (type === 'doc-mode' || type === 'scalar' || type === 'flow-error-end') continue;
    offset += token.length;
    const newline = token.lastIndexOf('\n');
    if (type === 'newline' || newline !== -1) {
      lineStart = start + newline + 1;
      atLineStart = true;
      afterIndicator = false;
      continue;
    }
    if (type === 'space' || type === 'comment' || type === 'byte-order-mark') continue;
    if (type === 'flow-map-start' || type === 'flow-seq-start') {
      flow += 1;
    } else if (type === 'flow-map-end' || type === 'flow-seq-end') {
      flow = Math.max(0, flow - 1);
      continue;
    }
    if (flow === 0 || (flow === 1 && (type === 'flow-map-start' || type === 'flow-seq-start'))) {
      const column = start - lineStart;
      if (atLineStart) {
        while (indents.length > 0 && indents[indents.length - 1]! >= column) indents.pop();
        indents.push(column);
      } else if (afterIndicator && column > (indents[indents.length - 1] ?? -1)) {
        indents.push(column);
      }
      atLineStart = false;
      afterIndicator = type === 'seq-item-ind' || type === 'explicit-key-ind';
    }
    if (indents.length + flow > max) return start;
  }
  return null;
}
