import 'server-only';
import { getSessionUser } from '@dtss/db';
import type { Account, NextAuthConfig, Profile } from 'next-auth';
import { getPool } from '../db';
import { externalUser, type ExternalSignIn } from './external';
import { authProviders } from './providers';
import { authSecret } from './secret';

declare module 'next-auth' {
  interface User {
    /** The user's session epoch read with their password (credentials sign-in). */
    sessionEpoch?: number;
  }
  interface Session {
    /** The epoch the session was signed in at: it is over once the user's epoch moved on. */
    sessionEpoch?: number;
  }
}

/**
 * Auth.js: JWT sessions (the Credentials provider needs them) whose token carries our user id and
 * the user's session epoch at sign-in (`epoch`). Whether a session is still good is decided per
 * request by `sessionActor()` (./actor.ts): not here, where a database error would be taken for
 * a bad cookie. OAuth/OIDC sign-ins are mapped to users by an email the provider verified (created
 * with a personal team), never onto a password account with an unverified email (./external.ts).
 */
export const authConfig: NextAuthConfig = {
  secret: authSecret(),
  // Behind `npm start` or a proxy the Host header is the app's own; Auth.js needs to trust it.
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 30 * 24 * 3600 },
  pages: { signIn: '/sign-in' },
  providers: authProviders(),
  callbacks: {
    // External sign-ins are resolved to our user here, where a refusal can still stop them;
    // jwt() then finds the same user (no second account, no second check to get wrong).
    async signIn({ account, profile }) {
      if (!account || account.provider === 'credentials') return true;
      const user = await externalUser(getPool(), externalOf(account, profile));
      return user !== null;
    },
    async jwt({ token, user, account, profile }) {
      if (account && account.provider !== 'credentials') {
        const found = await externalUser(getPool(), externalOf(account, profile));
        if (!found) throw new Error('external sign-in refused');
        token.uid = found.id;
        token.email = found.email;
        token.epoch = (await getSessionUser(getPool(), found.id))?.sessionEpoch ?? 0;
      } else if (user?.id) {
        token.uid = user.id;
        token.email = user.email;
        token.epoch = user.sessionEpoch ?? 0;
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === 'string') session.user.id = token.uid;
      if (typeof token.epoch === 'number') session.sessionEpoch = token.epoch;
      return session;
    },
  },
};

function externalOf(account: Account, profile: Profile | undefined): ExternalSignIn {
  return {
    provider: account.provider,
    accessToken: account.access_token ?? null,
    profile: profile ?? null,
  };
}
