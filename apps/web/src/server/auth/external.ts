// Which external (OAuth/OIDC) sign-ins are let in: only with an email the provider has verified,
// and never onto a password account whose email nobody verified (see findOrCreateExternalUser).
import { ExternalSignInRefusedError, findOrCreateExternalUser, withTransaction } from '@dtss/db';
import type { Pool } from '@dtss/db';

type Fetch = typeof fetch;

export interface ExternalSignIn {
  provider: string;
  accessToken?: string | null;
  profile?: { email?: string | null; email_verified?: unknown; name?: string | null } | null;
}

/**
 * GitHub's profile email may be the account's primary email, which GitHub lets people set
 * without verifying it (Auth.js takes it from /user/emails when there is no public email): ask
 * GitHub whether this address is verified.
 */
export async function githubEmailVerified(
  accessToken: string,
  email: string,
  fetchImpl: Fetch = fetch,
): Promise<boolean> {
  const res = await fetchImpl('https://api.github.com/user/emails', {
    headers: { Authorization: `Bearer ${accessToken}`, 'User-Agent': 'dtss' },
  });
  if (!res.ok) return false;
  const emails = (await res.json()) as { email?: unknown; verified?: unknown }[];
  return (
    Array.isArray(emails) &&
    emails.some(
      (e) =>
        typeof e.email === 'string' &&
        e.email.toLowerCase() === email.toLowerCase() &&
        e.verified === true,
    )
  );
}

/** The email an external sign-in vouches for, or null when it must be refused. */
export async function verifiedExternalEmail(
  signIn: ExternalSignIn,
  fetchImpl: Fetch = fetch,
): Promise<string | null> {
  const email = signIn.profile?.email;
  if (!email) return null;
  if (signIn.provider === 'github') {
    return signIn.accessToken && (await githubEmailVerified(signIn.accessToken, email, fetchImpl))
      ? email
      : null;
  }
  // An OIDC provider says so in its claims.
  return signIn.profile?.email_verified === true ? email : null;
}

/** The user an external sign-in is, created on first sign-in; null when it is refused. */
export async function externalUser(
  pool: Pool,
  signIn: ExternalSignIn,
  fetchImpl: Fetch = fetch,
): Promise<{ id: string; email: string } | null> {
  const email = await verifiedExternalEmail(signIn, fetchImpl);
  if (!email) return null;
  try {
    return await withTransaction(pool, (client) =>
      findOrCreateExternalUser(client, { email, name: signIn.profile?.name ?? null }),
    );
  } catch (err) {
    if (err instanceof ExternalSignInRefusedError) return null;
    throw err;
  }
}
