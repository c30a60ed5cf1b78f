// http: one HTTP request; the attempt succeeds when the status is in successStatuses.
import { z } from 'zod';
import { hasTemplateSyntax } from '../../template/parseTemplate';
import { quote } from '../../util/describeValue';
import { jsonValueSchema, stringish } from '../fields';
import type { Issue } from '../issue';
import { statusPatternSchema } from '../retryPolicy';
import { defineKind } from './types';

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const requestSchema = z.strictObject({
  method: z
    .string()
    .transform((method) => method.toUpperCase())
    .pipe(z.enum(HTTP_METHODS).describe('HTTP method'))
    .default('GET'),
  url: z.string().min(1),
  headers: z
    .record(
      z.string().regex(HEADER_NAME, {
        error: (iss) => `invalid header name ${quote(String(iss.input))}`,
      }),
      stringish,
    )
    .default({}),
  query: z.record(z.string().min(1), stringish).default({}),
  /** A string is sent as is; any other JSON value is sent as JSON (Content-Type defaults to application/json). */
  body: jsonValueSchema.nullable().default(null),
});

export const httpKind = defineKind({
  kind: 'http',
  description:
    'Send one HTTP request; the output is { status, headers, body } (body parsed when JSON).',
  configSchema: z.strictObject({
    request: requestSchema,
    /** Statuses that count as success: exact codes or classes like "2xx". */
    successStatuses: z.array(statusPatternSchema).min(1).default(['2xx']),
  }),
  templateFields: ['request.url', 'request.headers.*', 'request.query.*', 'request.body.**'],
  checkConfig: checkUrl,
});

function checkUrl(raw: Record<string, unknown>): Issue[] {
  const request = raw.request as { url?: unknown } | undefined;
  const url = typeof request === 'object' && request !== null ? request.url : undefined;
  if (typeof url !== 'string' || url === '') return [];
  const path = ['request', 'url'];
  if (hasTemplateSyntax(url)) {
    // Only the literal start can be checked before rendering.
    return /^(https?:\/\/|\{\{)/i.test(url)
      ? []
      : [{ path, message: `URL ${quote(url)} must start with http:// or https://` }];
  }
  if (!URL.canParse(url)) return [{ path, message: `invalid URL ${quote(url)}` }];
  const protocol = new URL(url).protocol;
  return protocol === 'http:' || protocol === 'https:'
    ? []
    : [
        {
          path,
          message: `unsupported URL scheme "${protocol}" in ${quote(url)} (expected http or https)`,
        },
      ];
}
