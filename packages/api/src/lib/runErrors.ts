// How the engine's refusals (RunRequestError) reach clients: input problems are BAD_REQUEST with
// the field paths, unknown things are NOT_FOUND, conflicts with the run's state are CONFLICT.
import { RunRequestError } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { badRequest, conflict } from '../errors';

export async function mapRunErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof RunRequestError)) throw err;
    switch (err.code) {
      case 'unknown_workflow':
      case 'unknown_run':
        throw new TRPCError({ code: 'NOT_FOUND', message: err.message });
      case 'unknown_task':
        throw badRequest(err.message, [{ path: 'mode.task', message: err.message }]);
      case 'run_active':
      case 'nothing_to_rerun':
        throw conflict(err.message);
      case 'invalid_params':
        throw badRequest(err.message, err.details);
      case 'archived_workflow':
        throw badRequest(err.message, [{ path: 'workflow', message: err.message }]);
      case 'missing_secrets':
        throw badRequest(
          err.message,
          err.details.length ? err.details : [{ path: 'workflow', message: err.message }],
        );
    }
  }
}
