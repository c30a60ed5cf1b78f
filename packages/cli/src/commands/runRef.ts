// Runs are named by id on the command line. A malformed id or a run the token cannot see is
// reported as `no run <id>`, the same way the server answers (it never tells the two apart).
import { TRPCClientError } from '@dtss/client';
import { CliError } from '../format/cliError';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function runNotFound<T>(runId: string, call: () => Promise<T>): Promise<T> {
  if (!UUID.test(runId)) throw new CliError(`no run ${runId}`);
  try {
    return await call();
  } catch (error) {
    if (error instanceof TRPCClientError && error.data?.code === 'NOT_FOUND') {
      throw new CliError(`no run ${runId}`);
    }
    throw error;
  }
}
