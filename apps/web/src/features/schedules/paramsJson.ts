// Params typed as a JSON object (schedules, webhooks, backfills): read in the browser so a typo is
// shown on the field at once; the workflow's params schema is checked by the server.

export type ParamsText =
  { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export function readParamsText(text: string): ParamsText {
  if (text.trim() === '') return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `not JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'params must be a JSON object, such as {"table": "orders"}' };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** The text a params object is edited as: "{}" for none, else indented JSON. */
export function paramsTextOf(params: Record<string, unknown> | null | undefined): string {
  return params && Object.keys(params).length > 0 ? JSON.stringify(params, null, 2) : '{}';
}
