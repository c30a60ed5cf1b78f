import { expect as baseExpect, test } from '@playwright/test';
import { expectAccessible, screenshot, signIn, signUp, trpc } from './support/app';

// The stack shares a busy machine: pages may take more than the default 5 s to arrive.
const expect = baseExpect.configure({ timeout: 15_000 });

test('sign out everywhere: the other browser of the same user is sent to sign-in on its next request', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const here = await browser.newContext();
  const there = await browser.newContext({ colorScheme: 'dark' });
  try {
    const a = await here.newPage();
    const me = await signUp(a, 'everywhere');
    // The same person signed in on another browser, on a page that reads the API every 10 s.
    const b = await there.newPage();
    await signIn(b, me);
    const workers = `/t/${me.teamSlug}/workers`;
    await b.goto(workers);
    await expect(b.getByTestId('workers')).toBeVisible();
    expect(await trpc(b.request, 'query', 'auth.me', null)).toMatchObject({ email: me.email });

    // The account page, from the user menu.
    await a.getByTestId('user-menu').click();
    await a.getByTestId('account-link').click();
    await expect(a).toHaveURL(new RegExp(`/t/${me.teamSlug}/account$`));
    await expect(a.getByRole('heading', { level: 1 })).toHaveText('Your account');
    await expect(a.getByRole('main')).toContainText(me.email);
    await expectAccessible(a);
    await screenshot(a, 'account');

    await a.getByTestId('sign-out-everywhere').click();
    const dialog = a.getByRole('dialog');
    await expect(dialog).toContainText('Sign out everywhere?');
    await expectAccessible(a);
    await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
    // This browser goes to sign-in, told why.
    await expect(a).toHaveURL(/\/sign-in\?notice=signed_out_everywhere/);
    await expect(a.getByTestId('sign-in-notice')).toContainText('signed out everywhere');

    // The other one, left alone, is sent to sign-in by its next request (the list's next read,
    // within 10 s; a minute allowed), and comes back to the page it was on afterwards.
    await expect(b).toHaveURL(/\/sign-in\?callbackUrl=/, { timeout: 60_000 });
    expect(decodeURIComponent(new URL(b.url()).searchParams.get('callbackUrl')!)).toBe(workers);
    await screenshot(b, 'signed-out-everywhere');
    // Its cookie is worth nothing now: pages send it to sign-in, the API refuses it.
    await b.goto(`/t/${me.teamSlug}/workflows`);
    await expect(b).toHaveURL(/\/sign-in\?callbackUrl=/);
    const refused = await b.request.get(
      `/api/trpc/auth.me?input=${encodeURIComponent(JSON.stringify({ json: null }))}`,
    );
    expect(refused.status()).toBe(401);

    // Signing in again works, and lands back on the page it was on.
    await b.goto(`/sign-in?callbackUrl=${encodeURIComponent(workers)}`);
    await b.locator('input[name="email"]').fill(me.email);
    await b.locator('input[name="password"]').fill(me.password);
    await b.locator('form[aria-label="Sign in"] button[type="submit"]').click();
    await expect(b).toHaveURL(new RegExp(`${workers}$`));
    await expect(b.getByTestId('workers')).toBeVisible();
  } finally {
    await here.close();
    await there.close();
  }
});
