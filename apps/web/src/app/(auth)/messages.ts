// Fixed texts for the error codes in the auth pages' URLs: nothing from the URL is ever shown.
export const SIGN_IN_ERRORS: Record<string, string> = {
  invalid: 'Wrong email or password.',
  rate_limited: 'Too many attempts. Wait a few minutes and try again.',
  CredentialsSignin: 'Wrong email or password.',
  AccessDenied: 'That account cannot sign in here.',
};

export const SIGN_UP_ERRORS: Record<string, string> = {
  invalid: 'Check the form: a valid email and a password of at least 10 characters.',
  email_taken: 'An account with this email exists. Sign in instead.',
  rate_limited: 'Too many sign-ups from this address. Try again later.',
  bad_invitation: 'This invitation is invalid, used, expired, or for another email.',
};

/** The field an `invalid` sign-up was refused for (`?field=`), and what to fix in it. */
export const SIGN_UP_FIELD_ERRORS: Record<string, (minPassword: number) => string> = {
  email: () => 'Enter a valid email address, like ada@example.com.',
  password: (min) => `Use at least ${min} characters.`,
  name: () => 'At most 100 characters.',
};

export function messageFor(table: Record<string, string>, code: string | string[] | undefined) {
  return typeof code === 'string' && Object.hasOwn(table, code) ? table[code] : undefined;
}
