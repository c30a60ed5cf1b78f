// Lists the values a template reads, for static checks (is this param declared? is that task upstream?).
import { parseTemplateOrThrow, type ParsedTemplate } from './parseTemplate';

export interface TemplateRef {
  /** Segments of the expression: ['tasks', 'extract', 'output', 'rows']. */
  path: string[];
  /** The expression as written between the braces, trimmed. */
  expression: string;
  /** 0-based index of its "{{" in the text. */
  offset: number;
}

/** Every expression in a template, in order. Throws TemplateError on invalid syntax. */
export function collectTemplateRefs(template: string | ParsedTemplate): TemplateRef[] {
  const parsed = typeof template === 'string' ? parseTemplateOrThrow(template) : template;
  const refs: TemplateRef[] = [];
  for (const part of parsed.parts) {
    if (part.type === 'expression')
      refs.push({ path: part.path, expression: part.source, offset: part.offset });
  }
  return refs;
}
