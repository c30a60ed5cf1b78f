import { describe, expect, it } from 'vitest';
import {
  changedFields,
  createFields,
  draftOfSchedule,
  draftProblems,
  newScheduleDraft,
  type EditableSchedule,
} from './scheduleForm';

const stored: EditableSchedule = {
  workflowId: 'w1',
  name: 'nightly',
  cron: '0 2 * * *',
  timezone: 'Europe/Paris',
  overlapPolicy: 'skip',
  catchupPolicy: 'latest',
  params: { table: 'orders' },
  enabled: true,
};

describe('schedule form', () => {
  it('a new draft needs a workflow and a name', () => {
    const d = newScheduleDraft('UTC');
    expect(Object.keys(draftProblems(d)).sort()).toEqual(['name', 'workflowId']);
    expect(draftProblems({ ...d, workflowId: 'w1', name: 'hourly' })).toEqual({});
  });

  it("cron and zone are checked by @dtss/core's rules, params as a JSON object", () => {
    const d = { ...draftOfSchedule(stored), cron: '61 * * * *' };
    expect(draftProblems(d).cron?.[0]).toMatch(/minute/i);
    expect(
      draftProblems({ ...d, cron: '0 2 * * *', timezone: 'Mars/Olympus' }).timezone,
    ).toHaveLength(1);
    expect(draftProblems({ ...d, cron: '0 2 * * *', paramsText: '[1]' }).params?.[0]).toMatch(
      /JSON object/,
    );
    expect(draftProblems({ ...d, cron: '0 2 * * *', paramsText: '{oops' }).params?.[0]).toMatch(
      /not JSON/,
    );
  });

  it('creates with every field, params parsed', () => {
    const d = { ...draftOfSchedule(stored), name: ' nightly ', paramsText: '{"table":"users"}' };
    expect(createFields(d)).toEqual({ ...stored, params: { table: 'users' } });
  });

  it('an edit sends only what changed', () => {
    const d = draftOfSchedule(stored);
    expect(changedFields(d, stored)).toEqual({});
    expect(
      changedFields(
        { ...d, cron: '0 3 * * *', catchupPolicy: 'all', paramsText: '{ "table": "orders" }' },
        stored,
      ),
    ).toEqual({ cron: '0 3 * * *', catchupPolicy: 'all' });
    expect(changedFields({ ...d, paramsText: '' }, stored)).toEqual({ params: {} });
  });
});
