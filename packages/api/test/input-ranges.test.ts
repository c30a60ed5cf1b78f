/**
 * Numbers a column cannot hold are input errors with their field's path. Found by probing what
 * api-fuzz.test.ts reaches: these failed the query with a 500 ("out of range for type integer",
 * "out of range for type bigint").
 */
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
  w = await openWorld('input_ranges');
  home = await teamFixture(w);
  api = callerFor(w, await userActor(w, home.id, 'owner'));
});

afterAll(async () => {
  await w?.close();
});

describe('number inputs stored in narrow columns', () => {
  it('a schedule catch-up window beyond int4 milliseconds', async () => {
    const create = (catchupWindowMs: number, name: string) =>
      api.schedules.create({
        teamId: home.id,
        workflowId: home.workflowId,
        name,
        cron: '0 * * * *',
        catchupWindowMs,
      });
    expect(await outcomeOf(create(2 ** 31, 'too-long'))).toBe('BAD_REQUEST catchupWindowMs');
    expect(await outcomeOf(create(1e15, 'far-too-long'))).toBe('BAD_REQUEST catchupWindowMs');
    expect(
      await outcomeOf(
        api.schedules.update({
          teamId: home.id,
          scheduleId: home.scheduleId,
          changes: { catchupWindowMs: 2 ** 31 },
        }),
      ),
    ).toBe('BAD_REQUEST changes.catchupWindowMs');
    expect(await outcomeOf(create(2 ** 31 - 1, 'longest'))).toBe('ok');
  });

  it('a log search cursor beyond int8', async () => {
    const search = (cursor: string) =>
      api.logs.search({ runId: home.failedRunId, query: 'error', cursor });
    expect(await outcomeOf(search('99999999999999999999'))).toBe('BAD_REQUEST cursor');
    expect(await outcomeOf(search('9223372036854775808'))).toBe('BAD_REQUEST cursor');
    expect(await outcomeOf(search('999999999999999999'))).toBe('ok');
  });
});
