import { describe, expect, it } from 'vitest';
import { attemptMachine, ATTEMPT_STATUSES } from './attemptMachine';
import {
  allowedEvents,
  assertTransition,
  IllegalTransitionError,
  isTerminal,
  transition,
  type StateMachine,
} from './machine';
import { runMachine, RUN_STATUSES } from './runMachine';
import { taskRunMachine, TASK_RUN_STATUSES } from './taskRunMachine';
import { TRIGGER_KINDS } from './triggerKinds';

const machines = [runMachine, taskRunMachine, attemptMachine] as unknown as StateMachine<
  string,
  string
>[];

describe.each(machines.map((m) => [m.name, m] as const))('%s machine', (_name, machine) => {
  it('takes every row of its table', () => {
    for (const row of machine.transitions) {
      const facts = row.when === undefined ? {} : { willRetry: row.when === 'will_retry' };
      expect(transition(machine, row.from, row.event, facts)).toEqual({ ok: true, to: row.to });
    }
  });

  it('refuses every (state, event) pair that is not in its table', () => {
    for (const from of machine.states) {
      for (const event of machine.events) {
        if (machine.transitions.some((t) => t.from === from && t.event === event)) continue;
        const result = transition(machine, from, event, { willRetry: true });
        expect(result.ok).toBe(false);
        expect(() => assertTransition(machine, from, event, { willRetry: false })).toThrow(
          IllegalTransitionError,
        );
      }
    }
  });

  it('only names known states and events, and every state is reachable from the first', () => {
    for (const row of machine.transitions) {
      expect(machine.states).toContain(row.from);
      expect(machine.states).toContain(row.to);
      expect(machine.events).toContain(row.event);
    }
    const reached = new Set([machine.states[0]]);
    for (let changed = true; changed;) {
      changed = false;
      for (const row of machine.transitions) {
        if (reached.has(row.from) && !reached.has(row.to)) {
          reached.add(row.to);
          changed = true;
        }
      }
    }
    expect([...reached].sort()).toEqual([...machine.states].sort());
  });

  it('has terminal states with no way out, and a path from every state to one', () => {
    for (const state of machine.terminal) {
      expect(isTerminal(machine, state)).toBe(true);
      expect(allowedEvents(machine, state)).toEqual([]);
    }
    for (const state of machine.states.filter((s) => !isTerminal(machine, s))) {
      expect(allowedEvents(machine, state).length).toBeGreaterThan(0);
    }
  });

  it('guards come in pairs (will_retry and no_retry) on the same event', () => {
    const guarded = machine.transitions.filter((t) => t.when !== undefined);
    for (const row of guarded) {
      const twin = guarded.find(
        (t) => t.from === row.from && t.event === row.event && t.when !== row.when,
      );
      expect(twin, `${row.from} ${row.event}`).toBeDefined();
    }
  });
});

describe('state names and trigger kinds (the database enums)', () => {
  it('are exactly these', () => {
    expect(RUN_STATUSES).toEqual([
      'queued',
      'running',
      'succeeded',
      'failed',
      'cancelled',
      'timed_out',
    ]);
    expect(TASK_RUN_STATUSES).toEqual([
      'pending',
      'queued',
      'running',
      'retry_wait',
      'succeeded',
      'failed',
      'skipped',
      'cancelled',
      'timed_out',
    ]);
    expect(ATTEMPT_STATUSES).toEqual([
      'running',
      'succeeded',
      'failed',
      'timed_out',
      'cancelled',
      'lost',
    ]);
    expect(TRIGGER_KINDS).toEqual([
      'manual',
      'schedule',
      'event',
      'webhook',
      'workflow',
      'backfill',
      'rerun',
      'api',
    ]);
  });

  it('terminal states', () => {
    expect(runMachine.terminal).toEqual(['succeeded', 'failed', 'cancelled', 'timed_out']);
    expect(taskRunMachine.terminal).toEqual([
      'succeeded',
      'failed',
      'skipped',
      'cancelled',
      'timed_out',
    ]);
    expect(attemptMachine.terminal).toEqual([
      'succeeded',
      'failed',
      'timed_out',
      'cancelled',
      'lost',
    ]);
  });
});

describe('transition', () => {
  it('explains an illegal transition', () => {
    expect(transition(taskRunMachine, 'succeeded', 'fail')).toEqual({
      ok: false,
      error: 'task run: cannot fail from succeeded (succeeded is final)',
    });
    expect(transition(taskRunMachine, 'pending', 'claim')).toEqual({
      ok: false,
      error: 'task run: cannot claim from pending (allowed: ready, skip, cancel)',
    });
  });

  it('needs willRetry for guarded events', () => {
    expect(transition(taskRunMachine, 'running', 'fail')).toEqual({
      ok: false,
      error: 'task run: fail from running depends on willRetry, which was not given',
    });
    expect(assertTransition(taskRunMachine, 'running', 'worker_lost', { willRetry: true })).toBe(
      'retry_wait',
    );
    expect(assertTransition(taskRunMachine, 'running', 'worker_lost', { willRetry: false })).toBe(
      'failed',
    );
    expect(assertTransition(taskRunMachine, 'running', 'timeout', { willRetry: false })).toBe(
      'timed_out',
    );
  });
});
