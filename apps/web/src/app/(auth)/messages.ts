// Fixed texts for the error codes in the auth pages' URLs: nothing from the URL is ever shown.
export const SIGN_IN_ERRORS: Record<string, string> = {
  invalid: 'Wrong email or password.',
  rate_limited: 'Too many attempts. Wait a few minutes and try again.',
  CredentialsSignin: 'Wrong email or password.',
  AccessDenied: 'That account cannot sign in here.',
};

/** Why sign-in is shown (`?notice=`), after the user's own action ended their sessions. */
export const SIGN_IN_NOTICES: Record<string, string> = {
  signed_out_everywhere: 'You are signed out everywhere. Sign in again to go on here.',
  password_changed: 'Your password was changed and you are signed out everywhere. Sign in with it.',
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

/**
 * What a refused sign-in gives back to its form: the error's code and what was typed (never the
 * password), so the form is shown again as it was.
 */
export interface SignInState {
  error?: string;
  email?: string;
  /** Counts the refusals: each one remounts the fields with what was typed. */
  attempt?: number;
}

/** What a refused sign-up gives back: the code, the refused field, and what was typed but the password. */
export interface SignUpState {
  error?: string;
  field?: string;
  values?: { name?: string; email?: string };
  attempt?: number;
}

/** What a refused team creation gives back ("no team yet" page): the message and the typed name. */
export interface CreateTeamState {
  error?: string;
  name?: string;
  attempt?: number;
}

/**
 * A refused sign-up's message and where it goes: on its field (an invalid field, a taken email) or
 * above the form (too many sign-ups, a bad invitation).
 */
export function signUpRefusal(
  state: SignUpState,
  minPassword: number,
): { field?: string; message?: string } {
  if (state.error === 'email_taken') return { field: 'email', message: SIGN_UP_ERRORS.email_taken };
  if (
    state.error === 'invalid' &&
    state.field &&
    Object.hasOwn(SIGN_UP_FIELD_ERRORS, state.field)
  ) {
    return { field: state.field, message: SIGN_UP_FIELD_ERRORS[state.field]!(minPassword) };
  }
  return { message: messageFor(SIGN_UP_ERRORS, state.error) };
}
