import { validateParams, type ParamsSpec } from '@dtss/core';
import { describe, expect, it } from 'vitest';
import { emptyDraft, readDrafts, type Draft } from './paramDraft';

// A normalized spec, as the server hands it to the page (`required` filled in).
const spec: ParamsSpec = {
  limit: { type: 'integer', minimum: 1, required: true },
  mode: { type: 'string', enum: ['full', 'delta'], default: 'delta', required: false },
  dry: { type: 'boolean', default: false, required: false },
  target: {
    type: 'object',
    required: true,
    properties: {
      table: { type: 'string', required: true },
      schema: { type: 'string', default: 'public', required: false },
    },
  },
  tags: { type: 'array', items: { type: 'string', required: true }, default: [], required: false },
  columns: {
    type: 'array',
    required: false,
    default: [],
    items: {
      type: 'object',
      required: true,
      properties: {
        name: { type: 'string', required: true },
        width: { type: 'integer', required: false },
      },
    },
  },
  extra: { type: 'object', default: {}, required: false },
};

describe('readDrafts', () => {
  it('reads typed text into values, leaving untouched fields to their defaults', () => {
    const drafts: Record<string, Draft> = {
      limit: '10',
      dry: 'true',
      target: { kind: 'group', fields: { table: 'orders' } },
      tags: { kind: 'list', items: ['a', 'b'] },
      columns: {
        kind: 'list',
        items: [{ kind: 'group', fields: { name: 'id', width: '4' } }],
      },
      extra: '{"x": 1}',
    };
    const r = readDrafts(spec, drafts);
    expect(r.errors).toEqual({});
    expect(r.values).toEqual({
      limit: 10,
      dry: true,
      target: { table: 'orders' },
      tags: ['a', 'b'],
      columns: [{ name: 'id', width: 4 }],
      extra: { x: 1 },
    });
    const checked = validateParams(spec, r.values);
    expect(checked.ok && checked.value).toMatchObject({
      mode: 'delta',
      target: { table: 'orders', schema: 'public' },
    });
  });

  it('reports unreadable text at the path validateParams uses', () => {
    const r = readDrafts(spec, {
      limit: 'ten',
      extra: '{oops',
      tags: { kind: 'list', items: ['a', ''] },
      columns: { kind: 'list', items: [{ kind: 'group', fields: { width: 'wide' } }] },
    });
    expect(r.errors).toEqual({
      limit: 'must be a number',
      extra: 'must be JSON',
      'tags[1]': 'empty item: fill it in or remove it',
      'columns[0].width': 'must be a number',
      'columns[0]': 'empty item: fill it in or remove it',
    });
  });

  it('does not read blank text as zero', () => {
    expect(readDrafts(spec, { limit: '  ' })).toEqual({
      values: {},
      errors: { limit: 'must be a number' },
    });
  });

  it("leaves an empty group out, so the object's own default or requiredness applies", () => {
    const r = readDrafts(spec, { target: { kind: 'group', fields: { table: '' } } });
    expect(r.values).toEqual({});
  });

  it('gives the server the same paths for constraint errors on nested fields', () => {
    const r = readDrafts(spec, {
      limit: '0',
      columns: { kind: 'list', items: [{ kind: 'group', fields: { name: 'id', width: '1.5' } }] },
    });
    const checked = validateParams(spec, r.values);
    expect(checked.ok).toBe(false);
    const paths = checked.ok ? [] : checked.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['limit', 'columns[0].width']));
  });

  it('starts list items empty: a group for objects, a text otherwise', () => {
    const columns = spec.columns;
    expect(columns?.type === 'array' && emptyDraft(columns.items!)).toEqual({
      kind: 'group',
      fields: {},
    });
    expect(emptyDraft(spec.limit!)).toBe('');
  });
});
