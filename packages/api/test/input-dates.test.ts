/**
 * Date inputs stop where Postgres's timestamps start (4713 BC). Found by api-fuzz.test.ts: a date
 * before that (JavaScript reaches 271821 BC) failed the query with a 500, "timestamp out of
 * range"; it is an input error with its field's path now.
 */
import { EARLIEST_STORABLE_DATE } from '@dtss/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  callerFor,
  openWorld,
  outcomeOf,
  teamFixture,
  userActor,
  type TeamFixture,
  type World,
} from './fixtures';

let w: World;
let home: TeamFixture;
let api: ReturnType<typeof callerFor>;

beforeAll(async () => {
  w = await openWorld('input_dates');
  home = await teamFixture(w);
  api = callerFor(w, await userActor(w, home.id, 'owner'));
});

afterAll(async () => {
  await w?.close();
});

describe('date inputs', () => {
  const ancient = new Date(-8.64e15);
  const calls = (d: Date | string | number) => ({
    'runs.list from': () => api.runs.list({ teamId: home.id, from: d }),
    'runs.list cursor': () =>
      api.runs.list({ teamId: home.id, cursor: { createdAt: d as Date, id: home.id } }),
    'runs.count to': () => api.runs.count({ teamId: home.id, to: d }),
    'audit.list from': () => api.audit.list({ teamId: home.id, from: d }),
    'events.list before': () => api.events.list({ teamId: home.id, before: d as Date }),
    'schedules.create startAt': () =>
      api.schedules.create({
        teamId: home.id,
        workflowId: home.workflowId,
        name: `s-${typeof d}-${Number(new Date(d)) < 0 ? 'bc' : 'ad'}`,
        cron: '0 * * * *',
        startAt: d as Date,
      }),
    'schedules.preview startAt': () =>
      api.schedules.preview({ teamId: home.id, cron: '0 * * * *', startAt: d as Date }),
  });

  it('before 4713 BC are refused with the field in the issues, as a Date, a string or a number', async () => {
    for (const d of [ancient, '-271821-04-20T00:00:00Z', -8.64e15]) {
      for (const [name, call] of Object.entries(calls(d))) {
        const field = name.split(' ')[1]!;
        expect(`${name}: ${await outcomeOf(call())}`).toMatch(
          new RegExp(`^${name}: BAD_REQUEST (cursor\\.createdAt|${field})$`),
        );
      }
    }
  });

  it('from 4713 BC on are taken', async () => {
    for (const [name, call] of Object.entries(calls(EARLIEST_STORABLE_DATE))) {
      expect(`${name}: ${await outcomeOf(call())}`).toBe(`${name}: ok`);
    }
  });
});
