// How the schedule, backfill, trigger and event operations' refusals reach clients.
import { BackfillError, EventError, ScheduleError, TriggerError } from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { badRequest, conflict } from '../errors';

export async function mapDomainErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (
      err instanceof ScheduleError ||
      err instanceof BackfillError ||
      err instanceof TriggerError
    ) {
      if (err.code.startsWith('unknown_')) {
        throw new TRPCError({ code: 'NOT_FOUND', message: err.message });
      }
      if (err.code === 'duplicate_name' || err.code === 'declared_in_file')
        throw conflict(err.message);
      throw badRequest(err.message, err.details);
    }
    if (err instanceof EventError) throw badRequest(err.message, err.details);
    throw err;
  }
}
