// Alert channels: where a team's alerts go. What may carry a credential (a webhook or Slack URL
// with its token, the webhook signing secret, an SMTP password) is sealed like team secrets
// (crypto/secretBox.ts) and bound to the channel's id; the rest (host names, addresses) is plain
// config for the lists. Only the leader's sender opens the sealed part.
import { randomBytes, randomUUID } from 'node:crypto';
import { openSecret, parseSecretsKey, sealSecret, type SecretsKey } from '../../crypto/secretBox';
import type { Pool } from '../../pool';

export type AlertChannelKind = 'webhook' | 'slack' | 'email';

export interface EmailSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  from: string;
  to: string[];
  username: string | null;
}

/** What a channel is given (create, update). */
export type AlertChannelSettings =
  | { kind: 'webhook'; url: string; signingSecret?: string | null }
  | { kind: 'slack'; url: string }
  | ({ kind: 'email'; password?: string | null } & EmailSettings);

/** The sealed part, as the sender needs it. */
export type AlertChannelSecret =
  | { kind: 'webhook'; url: string; signingSecret: string }
  | { kind: 'slack'; url: string }
  | { kind: 'email'; password: string | null };

/** The plain part, safe to list. */
export type AlertChannelConfig = { urlHost: string } | EmailSettings;

export interface AlertChannelRow {
  id: string;
  teamId: string;
  name: string;
  kind: AlertChannelKind;
  config: AlertChannelConfig;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export class AlertChannelError extends Error {
  override name = 'AlertChannelError';
  constructor(
    readonly code: 'exists' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

type KeyInput = string | SecretsKey;
const toKey = (k: KeyInput): SecretsKey => (typeof k === 'string' ? parseSecretsKey(k) : k);
const binding = (teamId: string, channelId: string) => ({
  teamId,
  name: `alert_channel:${channelId}`,
});

export function generateSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function split(settings: AlertChannelSettings): {
  config: AlertChannelConfig;
  secret: AlertChannelSecret;
} {
  switch (settings.kind) {
    case 'webhook':
      return {
        config: { urlHost: new URL(settings.url).host },
        secret: {
          kind: 'webhook',
          url: settings.url,
          signingSecret: settings.signingSecret || generateSigningSecret(),
        },
      };
    case 'slack':
      return {
        config: { urlHost: new URL(settings.url).host },
        secret: { kind: 'slack', url: settings.url },
      };
    case 'email': {
      const { host, port, secure, from, to, username } = settings;
      return {
        config: { host, port, secure, from, to, username },
        secret: { kind: 'email', password: settings.password ?? null },
      };
    }
  }
}

const COLUMNS = `id, team_id AS "teamId", name, kind, config, enabled, created_at AS "createdAt",
                 updated_at AS "updatedAt"`;

/**
 * Creates a channel. For a webhook without a signing secret one is generated; it is returned here
 * (`signingSecret`) and never again.
 */
export async function createAlertChannel(
  pool: Pool,
  input: {
    teamId: string;
    name: string;
    settings: AlertChannelSettings;
    key: KeyInput;
    enabled?: boolean;
  },
): Promise<{ channel: AlertChannelRow; signingSecret: string | null }> {
  const id = randomUUID();
  const key = toKey(input.key);
  const { config, secret } = split(input.settings);
  const sealed = sealSecret(key, JSON.stringify(secret), binding(input.teamId, id));
  const { rows } = await pool.query<AlertChannelRow>(
    `INSERT INTO alert_channels (id, team_id, name, kind, config, secret_ciphertext, secret_key_id, enabled)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (team_id, name) DO NOTHING
     RETURNING ${COLUMNS}`,
    [
      id,
      input.teamId,
      input.name,
      input.settings.kind,
      config,
      sealed,
      key.keyId,
      input.enabled ?? true,
    ],
  );
  if (!rows[0]) throw new AlertChannelError('exists', `a channel named "${input.name}" exists`);
  return {
    channel: rows[0],
    signingSecret: secret.kind === 'webhook' ? secret.signingSecret : null,
  };
}

/**
 * Changes a channel: its name, whether it is enabled, and (given `settings`) its whole settings.
 * A webhook whose new settings give no signing secret keeps the one it has.
 */
export async function updateAlertChannel(
  pool: Pool,
  input: {
    teamId: string;
    channelId: string;
    name?: string;
    enabled?: boolean;
    settings?: AlertChannelSettings;
    key: KeyInput;
  },
): Promise<AlertChannelRow> {
  let sealed: { config: AlertChannelConfig; ciphertext: Buffer; keyId: string } | null = null;
  if (input.settings) {
    const key = toKey(input.key);
    let settings = input.settings;
    if (settings.kind === 'webhook' && !settings.signingSecret) {
      const current = await readAlertChannelSecret(pool, input.teamId, input.channelId, key);
      if (current?.kind === 'webhook')
        settings = { ...settings, signingSecret: current.signingSecret };
    }
    const { config, secret } = split(settings);
    sealed = {
      config,
      ciphertext: sealSecret(key, JSON.stringify(secret), binding(input.teamId, input.channelId)),
      keyId: key.keyId,
    };
  }
  try {
    const { rows } = await pool.query<AlertChannelRow>(
      `UPDATE alert_channels
          SET name = COALESCE($3, name), enabled = COALESCE($4, enabled),
              kind = COALESCE($5::"AlertChannelKind", kind), config = COALESCE($6, config),
              secret_ciphertext = COALESCE($7, secret_ciphertext),
              secret_key_id = COALESCE($8, secret_key_id), updated_at = now()
        WHERE team_id = $1 AND id = $2
        RETURNING ${COLUMNS}`,
      [
        input.teamId,
        input.channelId,
        input.name ?? null,
        input.enabled ?? null,
        input.settings?.kind ?? null,
        sealed?.config ?? null,
        sealed?.ciphertext ?? null,
        sealed?.keyId ?? null,
      ],
    );
    if (!rows[0]) throw new AlertChannelError('not_found', 'no such channel');
    return rows[0];
  } catch (err) {
    if ((err as { code?: string }).code === '23505') {
      throw new AlertChannelError('exists', `a channel named "${input.name}" exists`);
    }
    throw err;
  }
}

/** Deletes a channel with its deliveries; false when there was none. */
export async function deleteAlertChannel(
  pool: Pool,
  teamId: string,
  channelId: string,
): Promise<boolean> {
  const { rowCount } = await pool.query(
    'DELETE FROM alert_channels WHERE team_id = $1 AND id = $2',
    [teamId, channelId],
  );
  return rowCount === 1;
}

export async function listAlertChannels(pool: Pool, teamId: string): Promise<AlertChannelRow[]> {
  const { rows } = await pool.query<AlertChannelRow>(
    `SELECT ${COLUMNS} FROM alert_channels WHERE team_id = $1 ORDER BY name`,
    [teamId],
  );
  return rows;
}

export async function findAlertChannel(
  pool: Pool,
  teamId: string,
  channelId: string,
): Promise<AlertChannelRow | null> {
  const { rows } = await pool.query<AlertChannelRow>(
    `SELECT ${COLUMNS} FROM alert_channels WHERE team_id = $1 AND id = $2`,
    [teamId, channelId],
  );
  return rows[0] ?? null;
}

/** The channel's sealed settings, opened (the sender's and the test-send's). */
export async function readAlertChannelSecret(
  pool: Pool,
  teamId: string,
  channelId: string,
  key: KeyInput,
): Promise<AlertChannelSecret | null> {
  const { rows } = await pool.query<{ ciphertext: Buffer | null; keyId: string | null }>(
    `SELECT secret_ciphertext AS ciphertext, secret_key_id AS "keyId"
       FROM alert_channels WHERE team_id = $1 AND id = $2`,
    [teamId, channelId],
  );
  const row = rows[0];
  if (!row?.ciphertext) return null;
  return JSON.parse(
    openSecret(toKey(key), row.ciphertext, binding(teamId, channelId), row.keyId ?? undefined),
  ) as AlertChannelSecret;
}
