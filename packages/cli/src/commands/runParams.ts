// Params of `dtss run`: `--param k=v` (strings, read with the workflow's param types) and
// `--params-json '{...}'` (typed JSON). Checking them is createRun's job; this only assembles them.
import { validateParams, type ParamsSpec } from '@dtss/core';
import { CliError } from '../format/cliError';

/** commander collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `k=v` flags as name → string; the first `=` separates, so values may contain `=`. */
export function parseParamFlags(flags: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0) {
      throw new CliError(
        `malformed --param "${flag}": expected name=value (e.g. --param date=2024-01-31)`,
      );
    }
    out[flag.slice(0, at)] = flag.slice(at + 1);
  }
  return out;
}

export function parseParamsJson(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--params-json is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliError('--params-json must be a JSON object of name: value');
  }
  return value as Record<string, unknown>;
}

/**
 * The params to start the run with: the JSON ones, then each `--param` read as its declared type
 * ("10" → 10 for an integer). A value that does not read as its type is passed on as the string,
 * so createRun reports it with the other param errors.
 */
export function assembleParams(
  spec: ParamsSpec | undefined,
  json: Record<string, unknown>,
  flags: Record<string, string>,
): Record<string, unknown> {
  const params: Record<string, unknown> = { ...json };
  for (const [name, text] of Object.entries(flags)) {
    const schema = spec?.[name];
    if (!schema) {
      params[name] = text;
      continue;
    }
    const read = validateParams({ [name]: schema }, { [name]: text }, { coerceStrings: true });
    params[name] = read.ok ? read.value[name] : text;
  }
  return params;
}
