// Run statuses after which nothing changes any more, from core's run state machine.
import { isTerminal, RUN_STATUSES, runMachine, type RunStatus } from '@dtss/core';

export function isTerminalRun(status: string): boolean {
  return (
    (RUN_STATUSES as readonly string[]).includes(status) &&
    isTerminal(runMachine, status as RunStatus)
  );
}
