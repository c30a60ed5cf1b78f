import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature, webhookHeaders } from './signature';

const secret = 'whsec_test';
const body = '{"order":1}';
const now = new Date('2026-01-01T00:00:00Z');
const ts = Math.floor(now.getTime() / 1000);

describe('webhook signatures', () => {
  it('is HMAC-SHA256 of "<timestamp>.<body>" in hex (what openssl computes)', async () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(await signWebhook(secret, ts, body)).toBe(`sha256=${expected}`);
    expect(await signWebhook(secret, ts, new TextEncoder().encode(body))).toBe(
      `sha256=${expected}`,
    );
  });

  it('accepts a good signature within the tolerance', async () => {
    const headers = await webhookHeaders(secret, body, ts - 60);
    const result = await verifyWebhookSignature({
      secret,
      timestamp: headers['x-dtss-timestamp'],
      signature: headers['x-dtss-signature'],
      body,
      now,
    });
    expect(result).toEqual({ ok: true, timestampSeconds: ts - 60 });
  });

  it('refuses a wrong secret, a changed body, a changed timestamp, a malformed header', async () => {
    const good = await signWebhook(secret, ts, body);
    const verify = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({
        secret,
        timestamp: String(ts),
        signature: good,
        body,
        now,
        ...over,
      });
    expect((await verify({ signature: await signWebhook('other', ts, body) })).ok).toBe(false);
    expect(await verify({ body: '{"order":2}' })).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(await verify({ timestamp: String(ts - 1) })).toMatchObject({ reason: 'mismatch' });
    expect(await verify({ signature: good.slice(7) })).toMatchObject({ reason: 'mismatch' });
    expect(await verify({ signature: 'sha256=zz' })).toMatchObject({ reason: 'mismatch' });
  });

  it('refuses missing headers and timestamps outside the tolerance', async () => {
    const good = await signWebhook(secret, ts, body);
    expect(
      await verifyWebhookSignature({ secret, timestamp: null, signature: good, body, now }),
    ).toMatchObject({ reason: 'missing_timestamp' });
    expect(
      await verifyWebhookSignature({ secret, timestamp: String(ts), signature: '', body, now }),
    ).toMatchObject({ reason: 'missing_signature' });
    expect(
      await verifyWebhookSignature({ secret, timestamp: 'soon', signature: good, body, now }),
    ).toMatchObject({ reason: 'bad_timestamp' });
    const old = ts - 301;
    expect(
      await verifyWebhookSignature({
        secret,
        timestamp: String(old),
        signature: await signWebhook(secret, old, body),
        body,
        now,
      }),
    ).toMatchObject({ ok: false, reason: 'expired' });
  });
});
