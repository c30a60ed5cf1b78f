// The master key secrets and webhook signing secrets are sealed with (DTSS_SECRETS_KEY).
import { TRPCError } from '@trpc/server';
import type { ApiContext } from '../trpc';

/** The configured key; PRECONDITION_FAILED when the server has none. */
export function secretsKeyOf(ctx: ApiContext): string {
  if (!ctx.secretsKey) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'DTSS_SECRETS_KEY is not configured on the server',
    });
  }
  return ctx.secretsKey;
}
