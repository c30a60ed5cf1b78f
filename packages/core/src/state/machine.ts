// State machines as data: a table of (from, event, to) rows that the engine consults and tests walk.

/**
 * Some events end differently depending on the retry policy (a failed attempt either waits for a
 * retry or ends the task). Such events have two rows, one per guard; the caller says which holds.
 */
export type Guard = 'will_retry' | 'no_retry';

export interface Transition<S extends string, E extends string> {
  from: S;
  event: E;
  to: S;
  when?: Guard;
}

export interface StateMachine<S extends string, E extends string> {
  name: string;
  states: readonly S[];
  events: readonly E[];
  /** States with no way out. */
  terminal: readonly S[];
  transitions: readonly Transition<S, E>[];
}

export interface TransitionFacts {
  /** Decided by shouldRetry(); required for guarded events. */
  willRetry?: boolean;
}

export type TransitionResult<S extends string> = { ok: true; to: S } | { ok: false; error: string };

type Row<S extends string, E extends string> = readonly [from: S, event: E, to: S, when?: Guard];

/** Builds a machine from compact rows; terminal states are those no row leaves. */
export function defineMachine<const S extends string, const E extends string>(spec: {
  name: string;
  states: readonly S[];
  events: readonly E[];
  rows: readonly Row<S, E>[];
}): StateMachine<S, E> {
  const transitions = spec.rows.map(([from, event, to, when]) =>
    when ? { from, event, to, when } : { from, event, to },
  );
  const left = new Set(transitions.map((t) => t.from));
  return {
    name: spec.name,
    states: spec.states,
    events: spec.events,
    terminal: spec.states.filter((s) => !left.has(s)),
    transitions,
  };
}

export function transition<S extends string, E extends string>(
  machine: StateMachine<S, E>,
  from: S,
  event: E,
  facts: TransitionFacts = {},
): TransitionResult<S> {
  const rows = machine.transitions.filter((t) => t.from === from && t.event === event);
  if (rows.length === 0) {
    const allowed = allowedEvents(machine, from);
    const hint = allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : `${from} is final`;
    return { ok: false, error: `${machine.name}: cannot ${event} from ${from} (${hint})` };
  }
  const unguarded = rows.find((t) => t.when === undefined);
  if (unguarded) return { ok: true, to: unguarded.to };
  if (facts.willRetry === undefined) {
    return {
      ok: false,
      error: `${machine.name}: ${event} from ${from} depends on willRetry, which was not given`,
    };
  }
  const guard: Guard = facts.willRetry ? 'will_retry' : 'no_retry';
  const row = rows.find((t) => t.when === guard);
  return row
    ? { ok: true, to: row.to }
    : { ok: false, error: `${machine.name}: cannot ${event} from ${from} when ${guard}` };
}

export class IllegalTransitionError extends Error {
  override name = 'IllegalTransitionError';
}

/** transition() for callers that treat an illegal transition as a bug. */
export function assertTransition<S extends string, E extends string>(
  machine: StateMachine<S, E>,
  from: S,
  event: E,
  facts?: TransitionFacts,
): S {
  const result = transition(machine, from, event, facts);
  if (!result.ok) throw new IllegalTransitionError(result.error);
  return result.to;
}

export function isTerminal<S extends string, E extends string>(
  machine: StateMachine<S, E>,
  state: S,
): boolean {
  return machine.terminal.includes(state);
}

/** Events accepted in `from`, in table order. */
export function allowedEvents<S extends string, E extends string>(
  machine: StateMachine<S, E>,
  from: S,
): E[] {
  return [...new Set(machine.transitions.filter((t) => t.from === from).map((t) => t.event))];
}
