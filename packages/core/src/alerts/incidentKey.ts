// Incident keys: what makes two observations the same incident, so one is opened (and one message
// sent) per incident however often the leader looks, and by whichever leader. `key` names the
// incident while it is open; `cause` names the event that opened it, so an incident that was
// resolved is never opened again by the same run when a new leader re-reads recent runs.
import type { AlertRuleKind } from './ruleSchema';

export type IncidentSubject =
  /** `firstFailedRunId`: the first run that did not succeed since the workflow's last success. */
  | { kind: 'run_failed'; workflowId: string; firstFailedRunId: string }
  | { kind: 'run_recovered'; runId: string }
  | { kind: 'task_retries'; runId: string; taskKey: string }
  | { kind: 'deadline'; runId: string }
  | { kind: 'worker_lost'; workerId: string }
  | { kind: 'pool_starved'; pool: string };

export interface IncidentKeys {
  /** Unique among the rule's open incidents. */
  key: string;
  /** Unique among all of the rule's incidents; null for states that may come back. */
  cause: string | null;
}

export function incidentKeys(subject: IncidentSubject): IncidentKeys {
  switch (subject.kind) {
    case 'run_failed':
      // Open while the workflow keeps failing, its next success resolves it. One incident per
      // streak of failures, whichever of its runs a leader happens to see first.
      return { key: `workflow:${subject.workflowId}`, cause: `run:${subject.firstFailedRunId}` };
    case 'run_recovered':
    case 'deadline':
      return { key: `run:${subject.runId}`, cause: `run:${subject.runId}` };
    case 'task_retries': {
      const key = `task:${subject.runId}:${subject.taskKey}`;
      return { key, cause: key };
    }
    case 'worker_lost':
      return { key: `worker:${subject.workerId}`, cause: null };
    case 'pool_starved':
      return { key: `pool:${subject.pool}`, cause: null };
  }
}

/** Kinds whose incidents are tied to one run and end with it. */
export const RUN_SCOPED_KINDS: ReadonlySet<AlertRuleKind> = new Set(['task_retries', 'deadline']);
