/**
 * External (GitHub/OIDC) sign-ins: only with an email the provider verified, and never onto a
 * password account whose email nobody verified (a pre-registered account would otherwise be
 * shared with its real owner at their first SSO sign-in).
 */
import { createPool, hashPassword, type Pool } from '@dtss/db';
import { createTestDatabase, type TestDatabase } from '@dtss/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { externalUser, verifiedExternalEmail } from '../../src/server/auth/external';

let db: TestDatabase;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase('external_signin');
  pool = createPool(db.url, { applicationName: 'external-signin-test' });
});

afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

/** A fake GitHub answering /user/emails. */
function github(emails: { email: string; verified: boolean; primary?: boolean }[]): typeof fetch {
  return (async (url: string | URL | Request) => {
    expect(String(url)).toBe('https://api.github.com/user/emails');
    return Response.json(emails);
  }) as typeof fetch;
}

describe('verifiedExternalEmail', () => {
  it('takes a GitHub email only when GitHub says it is verified', async () => {
    const signIn = {
      provider: 'github',
      accessToken: 'gho_x',
      profile: { email: 'Victim@Example.test' },
    };
    expect(
      await verifiedExternalEmail(
        signIn,
        github([{ email: 'victim@example.test', verified: false, primary: true }]),
      ),
    ).toBeNull();
    expect(
      await verifiedExternalEmail(
        signIn,
        github([{ email: 'victim@example.test', verified: true, primary: true }]),
      ),
    ).toBe('Victim@Example.test');
    expect(await verifiedExternalEmail({ ...signIn, accessToken: null }, github([]))).toBeNull();
  });

  it('takes an OIDC email only with email_verified: true', async () => {
    const profile = { email: 'a@example.test' };
    expect(await verifiedExternalEmail({ provider: 'oidc', profile })).toBeNull();
    expect(
      await verifiedExternalEmail({
        provider: 'oidc',
        profile: { ...profile, email_verified: true },
      }),
    ).toBe('a@example.test');
  });
});

describe('externalUser', () => {
  const oidc = (email: string) => ({
    provider: 'oidc',
    profile: { email, email_verified: true, name: 'X' },
  });

  it('refuses to sign into a password account whose email was never verified', async () => {
    await pool.query(`INSERT INTO users (email, password_hash) VALUES ('pre@example.test', $1)`, [
      await hashPassword('attacker password'),
    ]);
    expect(await externalUser(pool, oidc('pre@example.test'))).toBeNull();
  });

  it('creates a new user once, and finds them (or a verified account) again', async () => {
    const first = await externalUser(pool, oidc('new@example.test'));
    expect(first).toMatchObject({ email: 'new@example.test' });
    expect(await externalUser(pool, oidc('NEW@example.test'))).toMatchObject({ id: first!.id });
    await pool.query(
      `INSERT INTO users (email, password_hash, email_verified)
       VALUES ('verified@example.test', 'x', now())`,
    );
    expect(await externalUser(pool, oidc('verified@example.test'))).toMatchObject({
      email: 'verified@example.test',
    });
  });
});
