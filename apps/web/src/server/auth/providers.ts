import 'server-only';
import { login } from '@dtss/api';
import { CredentialsSignin } from 'next-auth';
import type { Provider } from 'next-auth/providers';
import Credentials from 'next-auth/providers/credentials';
import GitHub from 'next-auth/providers/github';
import { getPool } from '../db';
import { clientIp } from './request';

class RateLimited extends CredentialsSignin {
  override code = 'rate_limited';
}

/** Email + password always; GitHub and a generic OIDC provider when their env vars are set. */
export function authProviders(): Provider[] {
  const providers: Provider[] = [
    Credentials({
      credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
      async authorize(credentials, request) {
        const result = await login(getPool(), credentials, clientIp(request.headers));
        if (result.ok) {
          const { id, email, name, sessionEpoch } = result.user;
          return { id, email, name, sessionEpoch };
        }
        if (result.reason === 'rate_limited') throw new RateLimited();
        return null;
      },
    }),
  ];
  const env = process.env;
  if (env.DTSS_GITHUB_ID && env.DTSS_GITHUB_SECRET) {
    providers.push(GitHub({ clientId: env.DTSS_GITHUB_ID, clientSecret: env.DTSS_GITHUB_SECRET }));
  }
  if (env.DTSS_OIDC_ISSUER && env.DTSS_OIDC_ID && env.DTSS_OIDC_SECRET) {
    providers.push({
      id: 'oidc',
      name: env.DTSS_OIDC_NAME ?? 'Single sign-on',
      type: 'oidc',
      issuer: env.DTSS_OIDC_ISSUER,
      clientId: env.DTSS_OIDC_ID,
      clientSecret: env.DTSS_OIDC_SECRET,
    });
  }
  return providers;
}

/** Provider ids and names for the sign-in page's buttons (no secrets). */
export function externalProviders(): { id: string; name: string }[] {
  const env = process.env;
  const list: { id: string; name: string }[] = [];
  if (env.DTSS_GITHUB_ID && env.DTSS_GITHUB_SECRET) list.push({ id: 'github', name: 'GitHub' });
  if (env.DTSS_OIDC_ISSUER && env.DTSS_OIDC_ID && env.DTSS_OIDC_SECRET) {
    list.push({ id: 'oidc', name: env.DTSS_OIDC_NAME ?? 'Single sign-on' });
  }
  return list;
}
