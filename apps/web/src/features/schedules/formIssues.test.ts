import { describe, expect, it } from 'vitest';
import { issuesByField } from './formIssues';

describe('issuesByField', () => {
  it("puts the server's issues on their fields, the rest on the form", () => {
    expect(
      issuesByField(
        [
          { path: 'changes.cron', message: 'bad minute' },
          { path: 'name', message: 'use lowercase letters' },
          { path: 'params.limit', message: 'must be a number' },
          { path: 'endAt', message: 'endAt must be after startAt' },
          { path: '', message: 'nope' },
        ],
        ['cron', 'name', 'params'],
      ),
    ).toEqual({
      cron: ['bad minute'],
      name: ['use lowercase letters'],
      params: ['params.limit: must be a number'],
      '': ['endAt: endAt must be after startAt', 'nope'],
    });
  });

  it('places an issue on the nested field it concerns, the longest that matches', () => {
    expect(
      issuesByField(
        [
          { path: 'rule.name', message: 'invalid alert name' },
          { path: 'rule.channels[0]', message: 'no channel ops' },
          { path: 'rule.deadline.afterMs', message: 'too small' },
          { path: 'rule.on', message: 'unknown kind' },
        ],
        ['rule.name', 'rule.channels', 'rule.deadline', 'rule'],
      ),
    ).toEqual({
      'rule.name': ['invalid alert name'],
      'rule.channels': ['no channel ops'],
      'rule.deadline': ['too small'],
      rule: ['unknown kind'],
    });
  });
});
