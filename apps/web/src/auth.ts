// Auth.js for the App Router: `auth()` reads the session in pages, route handlers and the API
// context; `handlers` serve /api/auth/*; `signIn`/`signOut` are for server actions.
import NextAuth from 'next-auth';
import { authConfig } from './server/auth/config';

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
