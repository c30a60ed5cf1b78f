import { describe, expect, it } from 'vitest';
import { metricsRequestAllowed } from './token';

describe('metricsRequestAllowed', () => {
  it('lets anyone in without a token', () => {
    expect(metricsRequestAllowed(undefined, undefined)).toBe(true);
    expect(metricsRequestAllowed('Bearer whatever', '')).toBe(true);
  });

  it('with a token, wants exactly `Bearer <token>`', () => {
    expect(metricsRequestAllowed('Bearer s3cret', 's3cret')).toBe(true);
    expect(metricsRequestAllowed('bearer  s3cret ', 's3cret')).toBe(true);
    expect(metricsRequestAllowed(undefined, 's3cret')).toBe(false);
    expect(metricsRequestAllowed('', 's3cret')).toBe(false);
    expect(metricsRequestAllowed('s3cret', 's3cret')).toBe(false);
    expect(metricsRequestAllowed('Basic s3cret', 's3cret')).toBe(false);
    expect(metricsRequestAllowed('Bearer s3cre', 's3cret')).toBe(false);
    expect(metricsRequestAllowed('Bearer s3cretX', 's3cret')).toBe(false);
  });
});
