// The database enums (prisma/schema.prisma, as generated into the Prisma client) are the status
// and trigger kind names of @dtss/core, in the same order: the code uses core's constants, the
// database needs its enums, and this keeps the two from drifting. (schema-drift.test.ts keeps the
// migrations equal to schema.prisma.)
import {
  ALERT_RULE_KINDS,
  ATTEMPT_STATUSES,
  RUN_STATUSES,
  TASK_RUN_STATUSES,
  TRIGGER_KINDS,
  type AttemptStatus,
  type RunStatus,
  type TaskRunStatus,
  type TriggerKind,
} from '@dtss/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as prisma from '../src/client';

describe('Prisma enums equal the core constants', () => {
  it.each([
    ['RunStatus', prisma.RunStatus, RUN_STATUSES],
    ['TaskStatus', prisma.TaskStatus, TASK_RUN_STATUSES],
    ['AttemptStatus', prisma.AttemptStatus, ATTEMPT_STATUSES],
    ['TriggerKind', prisma.TriggerKind, TRIGGER_KINDS],
    ['AlertRuleKind', prisma.AlertRuleKind, ALERT_RULE_KINDS],
  ] as const)('%s', (_name, prismaEnum, core) => {
    expect(Object.values(prismaEnum)).toEqual([...core]);
    // Prisma's enum objects map each name to itself.
    expect(Object.keys(prismaEnum)).toEqual([...core]);
  });

  it('as types too (checked by tsc)', () => {
    expectTypeOf<prisma.RunStatus>().toEqualTypeOf<RunStatus>();
    expectTypeOf<prisma.TaskStatus>().toEqualTypeOf<TaskRunStatus>();
    expectTypeOf<prisma.AttemptStatus>().toEqualTypeOf<AttemptStatus>();
    expectTypeOf<prisma.TriggerKind>().toEqualTypeOf<TriggerKind>();
  });
});
