'use server';
import { joinRecord, signUp } from '@dtss/api';
import { teamName } from '@dtss/api/forms';
import {
  acceptInvitation,
  auditedTransaction,
  freeTeamSlug,
  getTeam,
  InvitationError,
} from '@dtss/db';
import { TRPCError } from '@trpc/server';
import { AuthError } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { signIn, signOut } from '@/auth';
import { sessionActor } from '@/server/auth/actor';
import { clientIp } from '@/server/auth/request';
import { getPool } from '@/server/db';
import { serverApi } from '@/trpc/server';
import type { CreateTeamState, SignInState, SignUpState } from './messages';

/** Only same-site paths: a `callbackUrl` must not send people to another site after sign-in. */
function safePath(value: FormDataEntryValue | null): string {
  const s = typeof value === 'string' ? value : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : '/';
}

function field(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/**
 * Sign-in (the form's `useActionState`): success redirects; a refusal comes back to the form with
 * the email typed, so only the password is typed again.
 */
export async function signInAction(prev: SignInState, form: FormData): Promise<SignInState> {
  const next = safePath(form.get('callbackUrl'));
  const email = field(form, 'email') ?? '';
  try {
    await signIn('credentials', {
      email,
      password: field(form, 'password') ?? '',
      redirectTo: next,
    });
  } catch (err) {
    // Success is a redirect (thrown by Next); only Auth.js's own errors are handled here.
    if (err instanceof AuthError) {
      const code = (err as { code?: string }).code === 'rate_limited' ? 'rate_limited' : 'invalid';
      return { error: code, email, attempt: (prev.attempt ?? 0) + 1 };
    }
    throw err;
  }
  return {};
}

/**
 * Sign-up: success signs the new user in; a refusal comes back to the form with the name and email
 * typed (never the password) and which field was refused.
 */
export async function signUpAction(prev: SignUpState, form: FormData): Promise<SignUpState> {
  const input = {
    email: field(form, 'email') ?? '',
    password: field(form, 'password') ?? '',
    name: field(form, 'name'),
    invite: field(form, 'invite'),
  };
  const result = await signUp(
    getPool(),
    input,
    clientIp(await headers()),
    Number(process.env.DTSS_SIGNUPS_PER_HOUR) || undefined,
  );
  if (!result.ok) {
    return {
      error: result.reason,
      field: result.issues[0]?.path,
      values: { name: input.name, email: input.email },
      attempt: (prev.attempt ?? 0) + 1,
    };
  }
  await signIn('credentials', { email: input.email, password: input.password, redirectTo: '/' });
  return {};
}

/**
 * A team of one's own, for a signed-in user who has none ("no team yet" page): its slug comes from
 * the name. Success opens the team; a refusal comes back with the name typed.
 */
export async function createTeamAction(
  prev: CreateTeamState,
  form: FormData,
): Promise<CreateTeamState> {
  const name = (field(form, 'name') ?? '').trim();
  const attempt = (prev.attempt ?? 0) + 1;
  const parsed = teamName.safeParse(name);
  if (!parsed.success) return { error: parsed.error.issues[0]?.message, name, attempt };
  let slug: string;
  try {
    const api = await serverApi();
    const team = await api.teams.create({ name, slug: await freeTeamSlug(getPool(), name) });
    slug = team.slug;
  } catch (err) {
    const error = err instanceof TRPCError ? err.message : 'The team could not be created.';
    return { error, name, attempt };
  }
  redirect(`/t/${encodeURIComponent(slug)}/workflows`);
}

export async function acceptInvitationAction(form: FormData): Promise<void> {
  const token = field(form, 'token') ?? '';
  const actor = await sessionActor();
  if (!actor) redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/invite?token=${token}`)}`);
  const { userId, email } = actor;
  const ip = clientIp(await headers());
  const teamId = await auditedTransaction(
    getPool(),
    (client) => acceptInvitation(client, { token, userId, email }),
    (inv) => joinRecord(inv, userId, ip),
  ).then(
    (inv) => inv.teamId,
    (err: unknown) => {
      if (err instanceof InvitationError) return null;
      throw err;
    },
  );
  if (!teamId) redirect(`/invite?token=${encodeURIComponent(token)}&error=invalid`);
  // Straight to the team just joined (not the first team of the list).
  const team = await getTeam(getPool(), teamId);
  redirect(team ? `/t/${encodeURIComponent(team.slug)}/workflows` : '/');
}

export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/sign-in' });
}

/**
 * After "sign out everywhere" or a password change (which ended every session of the user): this
 * browser's cookie goes too, and sign-in says why.
 */
export async function endedSessionsAction(reason: 'everywhere' | 'password'): Promise<void> {
  const notice = reason === 'password' ? 'password_changed' : 'signed_out_everywhere';
  await signOut({ redirectTo: `/sign-in?notice=${notice}` });
}
