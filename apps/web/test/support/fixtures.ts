// Test data the way the product makes it: teams, API tokens (stored as their sha256, like the
// app does), workflows saved from YAML, runs started by createRun.
import { createHash, randomBytes } from 'node:crypto';
import { parseWorkflowText } from '@dtss/core';
import {
  createRun,
  hashPassword,
  saveWorkflowVersion,
  type Pool,
  type PrismaClient,
  type RunRef,
} from '@dtss/db';

export async function createTeam(pool: Pool, slug: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO teams (slug, name) VALUES ($1, $1) RETURNING id',
    [slug],
  );
  return rows[0]!.id;
}

/** A real API token of the team: `dtss_` + 43 base64url characters, only its hash stored. */
export async function createToken(
  pool: Pool,
  teamId: string,
  role: 'owner' | 'admin' | 'editor' | 'viewer' = 'editor',
): Promise<string> {
  const token = `dtss_${randomBytes(32).toString('base64url')}`;
  await pool.query(
    `INSERT INTO api_tokens (team_id, name, token_hash, prefix, role)
     VALUES ($1, 'test', $2, $3, $4)`,
    [teamId, createHash('sha256').update(token).digest('hex'), token.slice(0, 12), role],
  );
  return token;
}

export async function saveWorkflow(prisma: PrismaClient, teamId: string, yaml: string) {
  const parsed = parseWorkflowText(yaml, { format: 'yaml' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return saveWorkflowVersion(prisma, { teamId, definition: parsed.workflow });
}

export async function startRun(pool: Pool, teamId: string, workflow: string): Promise<RunRef> {
  return (await createRun(pool, { teamId, workflow: { name: workflow }, triggerKind: 'manual' }))
    .run;
}

/** The task_runs ids of a run by task key. */
export async function taskRunIds(pool: Pool, runId: string): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ id: string; task_key: string }>(
    'SELECT id, task_key FROM task_runs WHERE run_id = $1',
    [runId],
  );
  return Object.fromEntries(rows.map((r) => [r.task_key, r.id]));
}

/** A user with a password, a member of `teamId` with `role` when given. */
export async function createUser(
  pool: Pool,
  email: string,
  password: string,
  membership?: { teamId: string; role: 'owner' | 'admin' | 'editor' | 'viewer' },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    'INSERT INTO users (email, password_hash) VALUES ($1, $2) RETURNING id',
    [email, await hashPassword(password)],
  );
  if (membership) {
    await pool.query('INSERT INTO memberships (team_id, user_id, role) VALUES ($1, $2, $3)', [
      membership.teamId,
      rows[0]!.id,
      membership.role,
    ]);
  }
  return rows[0]!.id;
}

/** Signs in through Auth.js's credentials endpoint; returns the session cookie (`name=value`). */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const login = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  const session = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('authjs.session-token='));
  if (!session) throw new Error(`sign-in of ${email} failed (status ${login.status})`);
  return session;
}
