'use server';
import { joinRecord, signUp } from '@dtss/api';
import { acceptInvitation, auditedTransaction, getTeam, InvitationError } from '@dtss/db';
import { AuthError } from 'next-auth';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { auth, signIn, signOut } from '@/auth';
import { clientIp } from '@/server/auth/request';
import { getPool } from '@/server/db';

/** Only same-site paths: a `callbackUrl` must not send people to another site after sign-in. */
function safePath(value: FormDataEntryValue | null): string {
  const s = typeof value === 'string' ? value : '';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : '/';
}

function field(form: FormData, name: string): string | undefined {
  const v = form.get(name);
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export async function signInAction(form: FormData): Promise<void> {
  const next = safePath(form.get('callbackUrl'));
  try {
    await signIn('credentials', {
      email: field(form, 'email') ?? '',
      password: field(form, 'password') ?? '',
      redirectTo: next,
    });
  } catch (err) {
    // Success is a redirect (thrown by Next); only Auth.js's own errors are handled here.
    if (err instanceof AuthError) {
      const code = (err as { code?: string }).code === 'rate_limited' ? 'rate_limited' : 'invalid';
      redirect(`/sign-in?error=${code}&callbackUrl=${encodeURIComponent(next)}`);
    }
    throw err;
  }
}

export async function signUpAction(form: FormData): Promise<void> {
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
    const qs = new URLSearchParams({ error: result.reason });
    const issue = result.issues[0];
    if (issue) qs.set('field', issue.path);
    if (input.invite) qs.set('invite', input.invite);
    redirect(`/sign-up?${qs.toString()}`);
  }
  await signIn('credentials', { email: input.email, password: input.password, redirectTo: '/' });
}

export async function acceptInvitationAction(form: FormData): Promise<void> {
  const token = field(form, 'token') ?? '';
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId || !session.user?.email) {
    redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/invite?token=${token}`)}`);
  }
  const email = session.user.email;
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
