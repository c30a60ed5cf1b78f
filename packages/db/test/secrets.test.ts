import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, createPrismaClient, type Pool } from '../src';
import {
  openSecret,
  parseSecretsKey,
  sealSecret,
  SecretDecryptError,
  SecretsKeyError,
} from '../src/crypto/secretBox';
import {
  deleteSecret,
  listSecretNames,
  putSecret,
  resolveSecrets,
  SecretInputError,
} from '../src/operations/secrets';
import { createTestDatabase, type TestDatabase } from '../src/testing';

const KEY = randomBytes(32).toString('base64');
const OTHER_KEY = randomBytes(32).toString('base64');

describe('secretBox', () => {
  const key = parseSecretsKey(KEY);
  const where = { teamId: 'team-1', name: 'API_TOKEN' };

  it('round-trips, with a fresh IV each time', () => {
    const a = sealSecret(key, 'héllo wörld', where);
    const b = sealSecret(key, 'héllo wörld', where);
    expect(a.equals(b)).toBe(false);
    expect(a[0]).toBe(1);
    expect(openSecret(key, a, where)).toBe('héllo wörld');
    expect(openSecret(key, sealSecret(key, '', where), where)).toBe('');
  });

  it('detects tampering anywhere in the envelope', () => {
    const sealed = sealSecret(key, 'value', where);
    for (const at of [5, 20, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at]! ^= 1;
      expect(() => openSecret(key, bad, where)).toThrow(SecretDecryptError);
    }
    expect(() => openSecret(key, sealed.subarray(0, 10), where)).toThrow(
      /not a version 1 envelope/,
    );
  });

  it('binds the ciphertext to its team and name', () => {
    const sealed = sealSecret(key, 'value', where);
    expect(() => openSecret(key, sealed, { ...where, teamId: 'team-2' })).toThrow(
      /copied from another team or name/,
    );
    expect(() => openSecret(key, sealed, { ...where, name: 'OTHER' })).toThrow(SecretDecryptError);
  });

  it('says when another master key sealed it', () => {
    const other = parseSecretsKey(OTHER_KEY);
    const sealed = sealSecret(other, 'value', where);
    expect(() => openSecret(key, sealed, where, other.keyId)).toThrow(
      new RegExp(`encrypted with key ${other.keyId}, but DTSS_SECRETS_KEY is key ${key.keyId}`),
    );
    expect(() => openSecret(key, sealed, where)).toThrow(SecretDecryptError);
  });

  it('refuses a missing or malformed key clearly', () => {
    expect(() => parseSecretsKey(undefined)).toThrow(SecretsKeyError);
    expect(() => parseSecretsKey('')).toThrow(/DTSS_SECRETS_KEY is not set/);
    expect(() => parseSecretsKey(randomBytes(16).toString('base64'))).toThrow(/got 16 bytes/);
    expect(() => parseSecretsKey('not base64!')).toThrow(/not base64/);
    expect(parseSecretsKey(KEY).keyId).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('secret operations', () => {
  let db: TestDatabase;
  let pool: Pool;
  let teamA: string;
  let teamB: string;

  beforeAll(async () => {
    db = await createTestDatabase('secrets');
    pool = createPool(db.url, { applicationName: 'test' });
    const prisma = createPrismaClient(db.url, { max: 1 });
    teamA = (await prisma.team.create({ data: { slug: 'a', name: 'A' } })).id;
    teamB = (await prisma.team.create({ data: { slug: 'b', name: 'B' } })).id;
    await prisma.$disconnect();
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('stores encrypted, upserts, lists names only, resolves and reports missing ones', async () => {
    expect(
      await putSecret(pool, { teamId: teamA, name: 'DB_PASS', value: 's3cret!', key: KEY }),
    ).toMatchObject({
      created: true,
    });
    await putSecret(pool, {
      teamId: teamA,
      name: 'TOKEN',
      value: 'first',
      key: KEY,
      description: 'api',
    });
    expect(
      await putSecret(pool, { teamId: teamA, name: 'TOKEN', value: 'second', key: KEY }),
    ).toMatchObject({
      created: false,
    });
    await putSecret(pool, { teamId: teamB, name: 'TOKEN', value: 'b-token', key: KEY });

    const { rows } = await pool.query<{ ciphertext: Buffer }>('SELECT ciphertext FROM secrets');
    for (const row of rows)
      expect(row.ciphertext.toString('latin1')).not.toMatch(/s3cret|second|b-token/);

    const listed = await listSecretNames(pool, teamA);
    expect(listed.map((s) => [s.name, s.description])).toEqual([
      ['DB_PASS', null],
      ['TOKEN', 'api'],
    ]);
    expect(JSON.stringify(listed)).not.toContain('s3cret');

    const resolved = await resolveSecrets(
      pool,
      teamA,
      ['TOKEN', 'DB_PASS', 'NOPE', 'toString', 'TOKEN'],
      KEY,
    );
    expect({ ...resolved.values }).toEqual({ TOKEN: 'second', DB_PASS: 's3cret!' });
    expect(resolved.missing).toEqual(['NOPE', 'toString']);
    expect((await resolveSecrets(pool, teamB, ['TOKEN'], KEY)).values.TOKEN).toBe('b-token');
    expect((await listSecretNames(pool, teamA))[1]!.lastUsedAt).toBeInstanceOf(Date);
    expect(await resolveSecrets(pool, teamA, [], KEY)).toEqual({ values: {}, missing: [] });
  });

  it('creates with onlyIfNew: of concurrent creates of one name exactly one wins', async () => {
    // onlyIfNew: of concurrent creates of one name exactly one wins; the value is not replaced.
    const racing = await Promise.allSettled(
      ['x1', 'x2', 'x3'].map((value) =>
        putSecret(pool, { teamId: teamB, name: 'RACE', value, key: KEY, onlyIfNew: true }),
      ),
    );
    expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(racing.filter((r) => r.status === 'rejected').map((r) => String(r.reason))).toEqual([
      'SecretInputError: a secret named "RACE" exists',
      'SecretInputError: a secret named "RACE" exists',
    ]);
  });
  it('a row copied to another team or name does not decrypt', async () => {
    await putSecret(pool, { teamId: teamA, name: 'MOVED', value: 'v', key: KEY });
    await pool.query(
      `UPDATE secrets SET ciphertext = (SELECT ciphertext FROM secrets WHERE team_id = $1 AND name = 'MOVED')
        WHERE team_id = $2 AND name = 'TOKEN'`,
      [teamA, teamB],
    );
    await expect(resolveSecrets(pool, teamB, ['TOKEN'], KEY)).rejects.toThrow(
      /secret "TOKEN" cannot be decrypted/,
    );
  });

  it('a worker with another key fails with a clear message', async () => {
    await expect(resolveSecrets(pool, teamA, ['DB_PASS'], OTHER_KEY)).rejects.toThrow(
      /encrypted with key [0-9a-f]{8}, but DTSS_SECRETS_KEY is key [0-9a-f]{8}/,
    );
    await expect(resolveSecrets(pool, teamA, ['DB_PASS'], '')).rejects.toThrow(SecretsKeyError);
  });

  it('validates names and sizes, deletes', async () => {
    await expect(
      putSecret(pool, { teamId: teamA, name: '-bad', value: 'v', key: KEY }),
    ).rejects.toThrow(SecretInputError);
    await expect(
      putSecret(pool, { teamId: teamA, name: 'BIG', value: 'x'.repeat(64 * 1024 + 1), key: KEY }),
    ).rejects.toThrow(/65537 bytes; the limit is 65536/);
    await putSecret(pool, { teamId: teamA, name: 'MAX', value: 'x'.repeat(64 * 1024), key: KEY });
    expect(await deleteSecret(pool, teamA, 'MAX')).toBe(true);
    expect(await deleteSecret(pool, teamA, 'MAX')).toBe(false);
    expect((await resolveSecrets(pool, teamA, ['MAX'], KEY)).missing).toEqual(['MAX']);
  });
});
