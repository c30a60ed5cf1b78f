/** What the API's error formatter sends (packages/api/src/trpc.ts), read without importing it. */
export interface ApiIssue {
  path: string;
  message: string;
}

export function errorMessage(err: unknown): string {
  if (!err) return '';
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && message ? message : 'something went wrong';
}

export function errorIssues(err: unknown): ApiIssue[] {
  const issues = (err as { data?: { issues?: unknown } } | null)?.data?.issues;
  return Array.isArray(issues) ? (issues as ApiIssue[]) : [];
}

export function errorCode(err: unknown): string | null {
  const code = (err as { data?: { code?: unknown } } | null)?.data?.code;
  return typeof code === 'string' ? code : null;
}
