import { inviteFields, secretFields, teamName, tokenFields } from '@dtss/api/forms';
import { describe, expect, it } from 'vitest';
import { mergeErrors, schemaErrors, serverErrors } from './formErrors';

describe('settings form errors', () => {
  it("places the shared schema's issues on their fields", () => {
    expect(schemaErrors(inviteFields, { email: 'nope', role: 'viewer' })).toEqual({
      email: ['an email address, like ada@example.com'],
    });
    expect(schemaErrors(teamName, '  ')).toEqual({ '': ['a name is required'] });
    expect(Object.keys(schemaErrors(secretFields, { name: '-bad', value: 'x' }))).toEqual(['name']);
    expect(schemaErrors(tokenFields, { name: 'ci', role: 'editor', expiresInDays: 0 })).toEqual({
      expiresInDays: ['at least one day from now'],
    });
    expect(schemaErrors(tokenFields, { name: 'ci', role: 'editor' })).toEqual({});
  });

  it("places the server's issues, a CONFLICT on its field, anything else on the form", () => {
    const conflict = { message: 'a secret named "A" exists', data: { code: 'CONFLICT' } };
    expect(serverErrors(conflict, ['name', 'value'], 'name')).toEqual({
      name: ['Not possible: a secret named "A" exists'],
    });
    const forbidden = { message: 'only an owner can make owners', data: { code: 'FORBIDDEN' } };
    expect(serverErrors(forbidden, ['email'])).toEqual({
      '': ['Not allowed: only an owner can make owners'],
    });
    const invalid = {
      message: 'invalid input',
      data: { code: 'BAD_REQUEST', issues: [{ path: 'value', message: 'too big' }] },
    };
    expect(serverErrors(invalid, ['name', 'value'])).toEqual({ value: ['too big'] });
    expect(serverErrors(null, ['name'])).toEqual({});
  });

  it("shows the schema's errors only after a submit, the server's always", () => {
    const of = mergeErrors({ name: ['required'] }, { name: ['taken'] }, false);
    expect(of('name')).toEqual(['taken']);
    expect(mergeErrors({ name: ['required'] }, {}, true)('name')).toEqual(['required']);
  });
});
