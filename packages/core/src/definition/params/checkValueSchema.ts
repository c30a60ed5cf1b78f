// Static checks of a param or output schema: defaults and enum members fit the declared type,
// ranges are not inverted, patterns compile.
import { canonicalJson } from '../../util/canonicalJson';
import { quote } from '../../util/describeValue';
import type { Issue, Path } from '../issue';
import { LIMITS } from '../limits';
import { compiled, validateValue } from './validateValue';
import type { ValueSchema } from './valueSchema';

export function checkValueSchema(root: ValueSchema, rootPath: Path): Issue[] {
  const issues: Issue[] = [];
  // Explicit stack: schemas nest, and the walk should not depend on the call stack.
  const stack: Array<{ schema: ValueSchema; path: Path; depth: number }> = [
    { schema: root, path: rootPath, depth: 0 },
  ];
  while (stack.length > 0) {
    const { schema, path, depth } = stack.pop()!;
    if (depth > LIMITS.maxDepth) {
      issues.push({ path, message: `schema nested deeper than ${LIMITS.maxDepth} levels` });
      continue;
    }
    checkOne(schema, path, issues);
    if (schema.type === 'array' && schema.items) {
      stack.push({ schema: schema.items, path: [...path, 'items'], depth: depth + 1 });
    }
    if (schema.type === 'object' && schema.properties) {
      for (const [key, child] of Object.entries(schema.properties).reverse()) {
        stack.push({ schema: child, path: [...path, 'properties', key], depth: depth + 1 });
      }
    }
  }
  return issues;
}

function checkOne(schema: ValueSchema, path: Path, issues: Issue[]): void {
  const before = issues.length;
  const range = (
    lowKey: string,
    low: number | undefined,
    highKey: string,
    high: number | undefined,
  ) => {
    if (low !== undefined && high !== undefined && low > high) {
      issues.push({
        path: [...path, lowKey],
        message: `${lowKey} (${low}) is greater than ${highKey} (${high})`,
      });
    }
  };
  if (schema.type === 'string') {
    range('minLength', schema.minLength, 'maxLength', schema.maxLength);
    if (schema.pattern !== undefined && compiled(schema.pattern) === undefined) {
      issues.push({
        path: [...path, 'pattern'],
        message: `invalid regular expression ${quote(schema.pattern)}`,
      });
    }
  }
  if (schema.type === 'number' || schema.type === 'integer') {
    range('minimum', schema.minimum, 'maximum', schema.maximum);
  }
  if (schema.type === 'array') range('minItems', schema.minItems, 'maxItems', schema.maxItems);
  // Members and defaults are only meaningful once the constraints themselves are sound.
  if (issues.length > before) return;

  if (
    (schema.type === 'string' || schema.type === 'number' || schema.type === 'integer') &&
    schema.enum
  ) {
    const { enum: members, ...withoutEnum } = schema;
    const seen = new Set<string>();
    members.forEach((member, i) => {
      const result = validateValue(withoutEnum as ValueSchema, member, [...path, 'enum', i]);
      issues.push(...result.issues);
      const key = canonicalJson(member);
      if (seen.has(key))
        issues.push({ path: [...path, 'enum', i], message: `duplicate enum member ${key}` });
      seen.add(key);
    });
  }
  if (schema.default !== undefined) {
    issues.push(...validateValue(schema, schema.default, [...path, 'default']).issues);
  }
}
