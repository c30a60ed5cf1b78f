/**
 * Email + password sign-in and sign-up, independent of Auth.js so they can be tested on their
 * own: Auth.js's Credentials provider and the sign-up page call these.
 */
import {
  acceptInvitation,
  createUserWithTeam,
  EmailTakenError,
  hitRateLimit,
  InvitationError,
  recordAudit,
  resetRateLimit,
  withTransaction,
  type AuditRecord,
  type InvitationInfo,
  type Pool,
  type UserInfo,
  verifyUserPassword,
} from '@dtss/db';
import { z } from 'zod';
import { LOGIN_PER_EMAIL, LOGIN_PER_EMAIL_IP, LOGIN_PER_IP, SIGNUP_PER_IP } from './limits';
import { formatIssuePath, type Issue } from '../errors';
import { MIN_PASSWORD_CHARS, newPassword } from '../schemas/forms';

export const credentialsSchema = z.object({
  email: z
    .email()
    .max(320)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(1).max(1024),
});

export { MIN_PASSWORD_CHARS };

export const signUpSchema = z.object({
  email: z
    .email()
    .max(320)
    .transform((e) => e.toLowerCase()),
  password: newPassword,
  name: z.string().trim().max(100).optional(),
  /** An invitation token from an invitation link: the new user joins that team too. */
  invite: z.string().max(200).optional(),
});

export type LoginResult =
  /** `sessionEpoch`: the epoch the new browser session carries (see ../auth/sessions.ts). */
  | { ok: true; user: UserInfo & { sessionEpoch: number } }
  | { ok: false; reason: 'invalid' | 'rate_limited'; retryAfterMs?: number };

export async function login(pool: Pool, raw: unknown, ip: string | null): Promise<LoginResult> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const { email, password } = parsed.data;
  const perIp = `login:${email}:${ip ?? 'unknown'}`;
  // Every counter moves on every attempt; the tightest one decides.
  const hits = [
    await hitRateLimit(pool, perIp, LOGIN_PER_EMAIL_IP),
    await hitRateLimit(pool, `login:${email}`, LOGIN_PER_EMAIL),
    // Unknown addresses are not one client: lumping them together would let anyone lock out all.
    ...(ip ? [await hitRateLimit(pool, `login-ip:${ip}`, LOGIN_PER_IP)] : []),
  ];
  const refused = hits.filter((h) => !h.allowed);
  if (refused.length > 0) {
    return {
      ok: false,
      reason: 'rate_limited',
      retryAfterMs: Math.max(...refused.map((h) => h.retryAfterMs)),
    };
  }
  const user = await verifyUserPassword(pool, email, password);
  if (!user) return { ok: false, reason: 'invalid' };
  await resetRateLimit(pool, perIp);
  return { ok: true, user };
}

export type SignUpResult =
  | { ok: true; user: UserInfo; teamId: string; joinedTeamId: string | null }
  | {
      ok: false;
      reason: 'invalid' | 'email_taken' | 'rate_limited' | 'bad_invitation';
      issues: Issue[];
    };

/** Creates the account and its personal team (and joins the invited team), in one transaction. */
export async function signUp(
  pool: Pool,
  raw: unknown,
  ip: string | null,
  /** Accounts per client IP per hour (DTSS_SIGNUPS_PER_HOUR; the browser tests sign up many). */
  perIpPerHour: number = SIGNUP_PER_IP.limit,
): Promise<SignUpResult> {
  const parsed = signUpSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      reason: 'invalid',
      issues: parsed.error.issues.map((i) => ({
        path: formatIssuePath(i.path),
        message: i.message,
      })),
    };
  }
  const limit = await hitRateLimit(pool, `signup:${ip ?? 'unknown'}`, {
    ...SIGNUP_PER_IP,
    limit: perIpPerHour,
  });
  if (!limit.allowed) return { ok: false, reason: 'rate_limited', issues: [] };
  const input = parsed.data;
  try {
    return await withTransaction(pool, async (client) => {
      const { user, team } = await createUserWithTeam(client, input);
      const joined = input.invite
        ? await acceptInvitation(client, {
            token: input.invite,
            userId: user.id,
            email: user.email,
          })
        : null;
      if (joined) await recordAudit(client, joinRecord(joined, user.id, ip));
      return { ok: true as const, user, teamId: team.id, joinedTeamId: joined?.teamId ?? null };
    });
  } catch (err) {
    if (err instanceof EmailTakenError) {
      return {
        ok: false,
        reason: 'email_taken',
        issues: [{ path: 'email', message: err.message }],
      };
    }
    if (err instanceof InvitationError) {
      return {
        ok: false,
        reason: 'bad_invitation',
        issues: [{ path: 'invite', message: err.message }],
      };
    }
    throw err;
  }
}

/** The audit record of a user joining a team through an invitation (API, page or sign-up). */
export function joinRecord(inv: InvitationInfo, userId: string, ip: string | null): AuditRecord {
  return {
    teamId: inv.teamId,
    actorUserId: userId,
    actorTokenId: null,
    action: 'member.join',
    targetType: 'user',
    targetId: userId,
    summary: { invitationId: inv.id, role: inv.role },
    ip,
  };
}
