import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy } from './server/security/csp';

/**
 * A fresh nonce per page request: Next.js reads it from the request's Content-Security-Policy header
 * and puts it on its own scripts, so the policy needs neither `unsafe-inline` nor `unsafe-eval` for
 * scripts. API routes and static files get the fixed headers of next.config.ts only.
 */
export function proxy(req: NextRequest) {
  const nonce = btoa(crypto.randomUUID());
  const csp = contentSecurityPolicy(nonce, process.env.NODE_ENV !== 'production');
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set('x-nonce', nonce);
  requestHeaders.set('Content-Security-Policy', csp);
  // Layouts send a visitor who is not signed in to sign-in and back here afterwards.
  requestHeaders.set('x-dtss-path', req.nextUrl.pathname + req.nextUrl.search);
  const res = NextResponse.next({ request: { headers: requestHeaders } });
  res.headers.set('Content-Security-Policy', csp);
  return res;
}

export const config = {
  matcher: [
    {
      source: '/((?!api/|_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
