// Team secrets: stored encrypted (crypto/secretBox.ts), listed by name only, decrypted only when
// the engine starts an attempt that maps them into env vars.
import { SECRET_NAME_PATTERN } from '@dtss/core';
import { openSecret, parseSecretsKey, sealSecret, type SecretsKey } from '../crypto/secretBox';
import type { Pool } from '../pool';

// What callers of these operations need from the crypto module (index.ts re-exports this file).
export {
  parseSecretsKey,
  SECRETS_KEY_ENV,
  SecretDecryptError,
  SecretsKeyError,
  type SecretsKey,
} from '../crypto/secretBox';

export const MAX_SECRET_BYTES = 64 * 1024;

/** The base64 key as configured (DTSS_SECRETS_KEY), or an already parsed one. */
export type SecretsKeyInput = string | SecretsKey;

export class SecretInputError extends Error {
  override name = 'SecretInputError';
  constructor(
    readonly code: 'invalid_name' | 'value_too_large' | 'exists',
    message: string,
  ) {
    super(message);
  }
}

export interface PutSecretInput {
  teamId: string;
  name: string;
  value: string;
  key: SecretsKeyInput;
  description?: string | null;
  userId?: string | null;
  /** Refuse (SecretInputError 'exists') instead of replacing a secret of that name. */
  onlyIfNew?: boolean;
}

/** Creates or replaces a secret; `created` is false when it replaced one. */
export async function putSecret(
  pool: Pool,
  input: PutSecretInput,
): Promise<{ id: string; created: boolean }> {
  checkName(input.name);
  const bytes = Buffer.byteLength(input.value);
  if (bytes > MAX_SECRET_BYTES) {
    throw new SecretInputError(
      'value_too_large',
      `secret "${input.name}" is ${bytes} bytes; the limit is ${MAX_SECRET_BYTES}`,
    );
  }
  const key = toKey(input.key);
  const ciphertext = sealSecret(key, input.value, input);
  const { rows } = await pool.query<{ id: string; created: boolean }>(
    `INSERT INTO secrets (team_id, name, ciphertext, key_id, description, created_by_id, updated_by_id)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (team_id, name) DO ${
       input.onlyIfNew
         ? 'NOTHING'
         : `UPDATE
        SET ciphertext = EXCLUDED.ciphertext, key_id = EXCLUDED.key_id,
            description = COALESCE(EXCLUDED.description, secrets.description),
            updated_by_id = EXCLUDED.updated_by_id, updated_at = now()`
     }
     RETURNING id, (xmax = 0) AS created`,
    [
      input.teamId,
      input.name,
      ciphertext,
      key.keyId,
      input.description ?? null,
      input.userId ?? null,
    ],
  );
  // The unique index decides, so two concurrent creates cannot both succeed.
  if (!rows[0]) throw new SecretInputError('exists', `a secret named "${input.name}" exists`);
  return rows[0];
}

/** Returns false when there was no such secret. */
export async function deleteSecret(pool: Pool, teamId: string, name: string): Promise<boolean> {
  const { rowCount } = await pool.query('DELETE FROM secrets WHERE team_id = $1 AND name = $2', [
    teamId,
    name,
  ]);
  return rowCount === 1;
}

export interface SecretInfo {
  name: string;
  description: string | null;
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
}

/** A team's secrets by name, without values. */
export async function listSecretNames(pool: Pool, teamId: string): Promise<SecretInfo[]> {
  const { rows } = await pool.query<SecretInfo>(
    `SELECT name, description, key_id AS "keyId", created_at AS "createdAt",
            updated_at AS "updatedAt", last_used_at AS "lastUsedAt"
       FROM secrets WHERE team_id = $1 ORDER BY name`,
    [teamId],
  );
  return rows;
}

export interface ResolvedSecrets {
  values: Record<string, string>;
  /** Names with no secret in the team: the caller refuses to run. */
  missing: string[];
}

/**
 * Decrypts the named secrets of a team. Throws SecretDecryptError when one exists but cannot be
 * opened (another master key, tampering): that is an operator problem, not a missing secret.
 */
export async function resolveSecrets(
  pool: Pool,
  teamId: string,
  names: readonly string[],
  keyInput: SecretsKeyInput,
): Promise<ResolvedSecrets> {
  const wanted = [...new Set(names)];
  if (wanted.length === 0) return { values: {}, missing: [] };
  const key = toKey(keyInput);
  // last_used_at is refreshed at most once a minute, so hot secrets do not become hot rows.
  const { rows } = await pool.query<{ name: string; ciphertext: Buffer; keyId: string }>(
    `WITH found AS (
       SELECT id, name, ciphertext, key_id FROM secrets WHERE team_id = $1 AND name = ANY($2::text[])),
     touched AS (
       UPDATE secrets SET last_used_at = now()
        WHERE id IN (SELECT id FROM found)
          AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
     SELECT name, ciphertext, key_id AS "keyId" FROM found`,
    [teamId, wanted],
  );
  // No prototype: a secret may well be called "constructor" or "__proto__".
  const values = Object.create(null) as Record<string, string>;
  for (const row of rows) {
    values[row.name] = openSecret(key, row.ciphertext, { teamId, name: row.name }, row.keyId);
  }
  return { values, missing: wanted.filter((name) => !Object.hasOwn(values, name)) };
}

function checkName(name: string): void {
  if (!SECRET_NAME_PATTERN.test(name)) {
    throw new SecretInputError(
      'invalid_name',
      `invalid secret name "${name}": use letters, digits, _, ., / and -, starting with a letter, digit or _ (at most 128 characters)`,
    );
  }
}

function toKey(input: SecretsKeyInput): SecretsKey {
  return typeof input === 'string' ? parseSecretsKey(input) : input;
}
