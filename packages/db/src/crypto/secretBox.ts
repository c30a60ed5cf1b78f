// Encryption of stored secrets: AES-256-GCM with the master key from DTSS_SECRETS_KEY.
//
// Envelope: version byte ‖ 12-byte IV ‖ 16-byte auth tag ‖ ciphertext. The (teamId, name) pair is
// authenticated as associated data, so a ciphertext copied to another team or another name fails
// to open. keyId (first 8 hex chars of sha256(key)) is stored beside each row, so a rotation can
// tell which key sealed it; today there is one key.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const SECRETS_KEY_ENV = 'DTSS_SECRETS_KEY';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export interface SecretsKey {
  key: Buffer;
  keyId: string;
}

/** Where a secret belongs; bound to its ciphertext. */
export interface SecretBinding {
  teamId: string;
  name: string;
}

/** DTSS_SECRETS_KEY is missing or malformed: a configuration problem, not a data one. */
export class SecretsKeyError extends Error {
  override name = 'SecretsKeyError';
}

/** A stored secret cannot be opened with this key and binding. */
export class SecretDecryptError extends Error {
  override name = 'SecretDecryptError';
}

/** Parses the base64 master key (32 bytes). */
export function parseSecretsKey(base64: string | undefined): SecretsKey {
  const text = base64?.trim() ?? '';
  if (text === '') {
    throw new SecretsKeyError(
      `${SECRETS_KEY_ENV} is not set: give 32 random bytes in base64 (e.g. \`openssl rand -base64 32\`)`,
    );
  }
  const key = BASE64.test(text) ? Buffer.from(text, 'base64') : null;
  if (!key || key.length !== 32) {
    throw new SecretsKeyError(
      `${SECRETS_KEY_ENV} must be 32 bytes in base64 (44 characters); got ${
        key ? `${key.length} bytes` : 'text that is not base64'
      }`,
    );
  }
  return { key, keyId: createHash('sha256').update(key).digest('hex').slice(0, 8) };
}

export function sealSecret(key: SecretsKey, plaintext: string, binding: SecretBinding): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(binding));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
}

/** `storedKeyId`: the key_id column, to tell "another key" from "tampered". */
export function openSecret(
  key: SecretsKey,
  envelope: Uint8Array,
  binding: SecretBinding,
  storedKeyId?: string,
): string {
  const what = `secret "${binding.name}"`;
  if (storedKeyId !== undefined && storedKeyId !== key.keyId) {
    throw new SecretDecryptError(
      `${what} was encrypted with key ${storedKeyId}, but ${SECRETS_KEY_ENV} is key ${key.keyId}: this worker has a different master key`,
    );
  }
  const data = Buffer.from(envelope);
  if (data.length < HEADER_BYTES || data[0] !== VERSION) {
    throw new SecretDecryptError(`${what} is not a version ${VERSION} envelope`);
  }
  const decipher = createDecipheriv('aes-256-gcm', key.key, data.subarray(1, 1 + IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(associatedData(binding));
  decipher.setAuthTag(data.subarray(1 + IV_BYTES, HEADER_BYTES));
  try {
    return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SecretDecryptError(
      `${what} cannot be decrypted: it was altered, copied from another team or name, or sealed with another key`,
    );
  }
}

function associatedData({ teamId, name }: SecretBinding): Buffer {
  // NUL separators: neither a uuid nor a secret name can contain one, so pairs cannot collide.
  return Buffer.from(`dtss-secret\0${teamId}\0${name}`, 'utf8');
}
