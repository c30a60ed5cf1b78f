import path from 'node:path';
import { createDtssClient, TRPCClientError } from '@dtss/client';
import {
  expect as baseExpect,
  test,
  type Browser,
  type Page,
  type Response,
} from '@playwright/test';
import {
  ARTIFACTS,
  expectAccessible,
  screenshot,
  signUp,
  trpc,
  uniqueEmail,
  type Person,
} from './support/app';

// The stack shares a busy machine in CI: lists may take more than the default 5 s to arrive.
const expect = baseExpect.configure({ timeout: 15_000 });

const settingsOf = (person: Person) => `/t/${person.teamSlug}/settings`;

/** A dialog as it is seen: the window only (a dialog is centred in it). */
async function dialogShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/**
 * A screenshot of the whole page. The shell scrolls inside <main> (the window never scrolls), so a
 * full-page screenshot would stop at the window's height: the window is made as tall as the page
 * for the shot. Dialogs are shot in the window as it is (they are centred in it).
 */
async function pageShot(page: Page, name: string): Promise<void> {
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => {
    const main = document.getElementById('main');
    return main ? main.getBoundingClientRect().top + main.scrollHeight : document.body.scrollHeight;
  });
  await page.setViewportSize({
    width: size.width,
    height: Math.max(size.height, Math.ceil(height)),
  });
  await screenshot(page, name);
  await page.setViewportSize(size);
}

/** A page in a context of its own (its own cookies: another person, or nobody signed in). */
async function freshPage(browser: Browser, opts: { dark?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ colorScheme: opts.dark ? 'dark' : 'light' });
  return context.newPage();
}

test('an admin invites a member with a copyable link; they sign in with it, join, see no admin controls; the owner changes their role and removes them', async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: baseURL!,
  });
  const owner = await signUp(page, 'owner');
  // The invitee has an account already (with a team of their own): they will sign in with the link.
  const inviteePage = await freshPage(browser);
  const invitee = await signUp(inviteePage, 'invitee');
  await inviteePage.context().close();

  await page.goto(settingsOf(owner));
  const members = page.getByTestId('members-table');
  await expect(members.getByTestId('member-row')).toHaveCount(1);
  // The only owner cannot be demoted or removed here; the page says why.
  const ownerRow = members.getByTestId('member-row').filter({ hasText: owner.email });
  await expect(ownerRow.getByTestId('member-role')).toBeDisabled();
  await expect(ownerRow.getByTestId('member-remove')).toBeDisabled();
  await expect(ownerRow.getByTestId('member-locked')).toContainText('only owner');
  await expectAccessible(page);
  await pageShot(page, 'settings-owner');

  // Bad input is refused on the field (the API's own rule), and nothing typed is lost.
  const form = page.getByTestId('invite-form');
  await page.getByTestId('invite-email').fill('not-an-email');
  await page.getByTestId('invite-submit').click();
  await expect(form.getByTestId('field-error')).toContainText('an email address');
  await expect(page.getByTestId('invite-email')).toHaveValue('not-an-email');
  await expect(page.getByTestId('invite-email')).toHaveAttribute('aria-invalid', 'true');

  await page.getByTestId('invite-email').fill(invitee.email);
  await page.getByTestId('invite-role').selectOption('editor');
  await page.getByTestId('invite-submit').click();
  const linkField = page.getByTestId('invitation-link');
  await expect(linkField).toHaveValue(/\/invite\?token=/);
  const link = await linkField.inputValue();
  expect(new URL(link).origin).toBe(new URL(baseURL!).origin);
  await page.getByTestId('copy-invitation-link').click();
  await expect(page.getByTestId('copy-invitation-link')).toContainText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await expect(page.getByTestId('invitations-table')).toContainText(invitee.email);
  await pageShot(page, 'settings-invitation-link');

  // The invitee opens the link signed out, signs in from it and accepts.
  const guest = await freshPage(browser);
  await guest.goto(link);
  await expect(guest.getByRole('heading', { name: 'Join a team' })).toBeVisible();
  await expectAccessible(guest);
  await screenshot(guest, 'auth-invite-signed-out');
  await guest.getByTestId('invite-sign-in').click();
  await expect(guest.getByText('Sign in to accept your invitation.')).toBeVisible();
  await guest.locator('input[name="email"]').fill(invitee.email);
  await guest.locator('input[name="password"]').fill(invitee.password);
  await guest.locator('form[aria-label="Sign in"] button[type="submit"]').click();
  await guest.waitForURL(/\/invite\?token=/);
  await expect(guest.getByRole('heading', { name: 'Join a team' })).toBeVisible();
  await expect(guest.locator('form[aria-label="Accept invitation"]')).toContainText(invitee.email);
  await expectAccessible(guest);
  await screenshot(guest, 'auth-invite-signed-in');
  await guest.getByRole('button', { name: 'Accept the invitation' }).click();
  await guest.waitForURL(new RegExp(`/t/${owner.teamSlug}/workflows`));

  // As an editor: the lists, and no control for anything an editor may not change.
  await guest.goto(settingsOf(owner));
  await expect(guest.getByTestId('my-role')).toHaveText('editor');
  await expect(guest.getByTestId('members-table')).toContainText(owner.email);
  await expect(guest.getByTestId('members-readonly')).toBeVisible();
  await expect(guest.getByTestId('secrets-readonly')).toBeVisible();
  await expect(guest.getByTestId('needs-admin')).toHaveCount(2); // tokens, audit log
  for (const id of [
    'rename-team-form',
    'invite-form',
    'member-role',
    'member-remove',
    'invitations-table',
    'new-token',
    'tokens-table',
    'new-secret',
    'secret-replace',
    'secret-delete',
    'audit-filters',
  ]) {
    await expect(guest.getByTestId(id), id).toHaveCount(0);
  }
  await expect(guest.locator('main').getByRole('button')).toHaveCount(0);
  await expect(guest.locator('main select, main input, main textarea')).toHaveCount(0);
  await expectAccessible(guest);
  await pageShot(guest, 'settings-editor');
  await guest.context().close();

  // The owner sees them joined, changes their role, then removes them (confirmed).
  await page.reload();
  const row = members.getByTestId('member-row').filter({ hasText: invitee.email });
  await expect(row.getByTestId('member-role')).toHaveValue('editor');
  await expect(page.getByTestId('invitations-table')).toHaveCount(0);
  await row.getByTestId('member-role').selectOption('viewer');
  await expect(row.getByTestId('member-role')).toHaveValue('viewer');
  await expect(row.getByTestId('member-role')).toBeEnabled();
  const roles = await trpc<{ members: { email: string; role: string }[] }>(
    page.request,
    'query',
    'members.list',
    { teamSlug: owner.teamSlug },
  );
  expect(roles.members.find((m) => m.email === invitee.email)?.role).toBe('viewer');

  await row.getByTestId('member-remove').click();
  const confirm = page.getByRole('dialog', { name: 'Remove this member?' });
  await expect(confirm).toContainText(invitee.email);
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Remove' }).click();
  await expect(row).toHaveCount(0);
  await expect(members.getByTestId('member-row')).toHaveCount(1);
});

test('an admin (not an owner) cannot touch the owner or hand out owner; lowering their own role is confirmed', async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  const owner = await signUp(page, 'boss');
  const email = uniqueEmail('admin');
  const { acceptPath } = await trpc<{ acceptPath: string }>(
    page.request,
    'mutation',
    'members.invite',
    { teamSlug: owner.teamSlug, email, role: 'admin' },
  );
  const admin = await freshPage(browser);
  await admin.goto(acceptPath.replace('/invite?token=', '/sign-up?invite='));
  await admin.locator('input[name="email"]').fill(email);
  await admin.locator('input[name="password"]').fill('admin-password-1');
  await admin.locator('form[aria-label="Sign up"] button[type="submit"]').click();
  await admin.waitForURL(/\/t\//);

  await admin.goto(settingsOf(owner));
  await expect(admin.getByTestId('my-role')).toHaveText('admin');
  const ownerRow = admin.getByTestId('member-row').filter({ hasText: owner.email });
  await expect(ownerRow.getByTestId('member-role')).toBeDisabled();
  await expect(ownerRow.getByTestId('member-remove')).toBeDisabled();
  await expect(ownerRow.getByTestId('member-locked')).toHaveText(
    'Only an owner can change an owner',
  );
  // Owner is not offered to invitees, nor to tokens (not above the admin's own role).
  await expect(admin.getByTestId('invite-role').locator('option')).toHaveText([
    'viewer',
    'editor',
    'admin',
  ]);
  await admin.getByTestId('new-token').click();
  await expect(admin.getByTestId('token-role').locator('option')).toHaveText([
    'viewer',
    'editor',
    'admin',
  ]);
  await admin.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expectAccessible(admin);
  await pageShot(admin, 'settings-admin');

  // Lowering one's own role asks first; Cancel keeps it.
  const myRow = admin.getByTestId('member-row').filter({ hasText: email });
  await myRow.getByTestId('member-role').selectOption('editor');
  const confirm = admin.getByRole('dialog', { name: 'Lower your own role?' });
  await expect(confirm).toContainText('You will be editor');
  await expectAccessible(admin);
  await dialogShot(admin, 'settings-demote-self');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(myRow.getByTestId('member-role')).toHaveValue('admin');
  await myRow.getByTestId('member-role').selectOption('editor');
  await admin
    .getByRole('dialog', { name: 'Lower your own role?' })
    .getByRole('button', { name: 'Lower my role' })
    .click();
  // The page follows the new role: read-only, no controls.
  await expect(admin.getByTestId('my-role')).toHaveText('editor');
  await expect(admin.getByTestId('members-readonly')).toBeVisible();
  await expect(admin.getByTestId('invite-form')).toHaveCount(0);
  await expect(admin.getByTestId('team-switcher')).toContainText('editor');
  await admin.context().close();
});

test('an admin revokes a pending invitation; the link then fails', async ({ page, browser }) => {
  test.setTimeout(60_000);
  const owner = await signUp(page, 'revoker');
  await page.goto(settingsOf(owner));
  const email = uniqueEmail('someone');
  await page.getByTestId('invite-email').fill(email);
  await page.getByTestId('invite-submit').click();
  const link = await page.getByTestId('invitation-link').inputValue();
  await page.getByTestId('invite-another').click();
  await expect(page.getByTestId('invite-email')).toBeFocused();
  await expect(page.getByTestId('invite-email')).toHaveValue('');

  const invitation = page.getByTestId('invitation-row').filter({ hasText: email });
  await invitation.getByTestId('invitation-revoke').click();
  await page
    .getByRole('dialog', { name: 'Revoke this invitation?' })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(invitation).toHaveCount(0);

  // Signing up with the revoked link is refused, saying why.
  const other = await freshPage(browser);
  await other.goto(link.replace('/invite?token=', '/sign-up?invite='));
  await other.locator('input[name="email"]').fill(email);
  await other.locator('input[name="password"]').fill('a-long-enough-password');
  await other.locator('form[aria-label="Sign up"] button[type="submit"]').click();
  await expect(other.getByTestId('auth-error')).toContainText('invalid, used, expired');
  // What was typed stays (the password excepted).
  await expect(other.locator('input[name="email"]')).toHaveValue(email);
  await expect(other.locator('input[name="password"]')).toHaveValue('');
  await other.context().close();
});

test('an API token is created with a role and an expiry, shown once, used with @dtss/client, then revoked', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(90_000);
  const admin = await signUp(page, 'tokens');
  await page.goto(settingsOf(admin));
  const card = page.getByTestId('new-token');
  await card.click();
  const dialog = page.getByRole('dialog', { name: 'New API token' });

  // Nothing typed: the name is required; a custom expiry needs a date. Nothing is sent.
  await page.getByTestId('token-expiry').selectOption('custom');
  await page.getByTestId('token-create').click();
  await expect(dialog.getByTestId('field-error')).toHaveCount(2);
  await expect(dialog).toContainText('a name is required');
  await expect(dialog).toContainText('choose a date');
  // The roles offered stop at the creator's own (an owner may make any).
  await expect(page.getByTestId('token-role').locator('option')).toHaveText([
    'viewer',
    'editor',
    'admin',
    'owner',
  ]);
  await page.getByTestId('token-name').fill('e2e-ci');
  await page.getByTestId('token-role').selectOption('viewer');
  await page.getByTestId('token-expiry').selectOption('30');
  await expect(dialog.getByTestId('field-error')).toHaveCount(0);
  await expectAccessible(page);
  await page.getByTestId('token-create').click();

  const reveal = page.getByRole('dialog', { name: 'Token e2e-ci created' });
  await expect(reveal.getByTestId('token-reveal')).toContainText('shown only this once');
  const token = await reveal.getByTestId('token-value').inputValue();
  expect(token).toMatch(/^dtss_/);
  await expectAccessible(page);
  await dialogShot(page, 'settings-token-created');
  await reveal.getByTestId('token-done').click();
  await expect(reveal).toHaveCount(0);
  // Focus goes back to where it was: the New token button.
  await expect(page.getByTestId('new-token')).toBeFocused();
  // Never shown again: not in the page, not in the list's response.
  await expect(page.locator('body')).not.toContainText(token);
  const listed = await trpc(page.request, 'query', 'tokens.list', { teamSlug: admin.teamSlug });
  expect(JSON.stringify(listed)).not.toContain(token);

  const row = page.getByTestId('token-row').filter({ hasText: 'e2e-ci' });
  await expect(row.getByTestId('token-last-used')).toHaveText('never');
  await expect(row).toContainText('viewer');

  // The test itself calls the API with it through the typed client.
  const client = createDtssClient({ url: baseURL!, token });
  const team = await client.teams.get.query({});
  expect(team.slug).toBe(admin.teamSlug);
  expect(team.role).toBe('viewer');
  // A viewer token cannot write.
  await expect(client.secrets.create.mutate({ name: 'NOPE', value: 'x' })).rejects.toBeInstanceOf(
    TRPCClientError,
  );

  await expect
    .poll(
      async () => {
        await page.reload();
        return row.getByTestId('token-last-used').innerText();
      },
      { timeout: 30_000 },
    )
    .not.toBe('never');

  await row.getByTestId('token-revoke').click();
  const confirm = page.getByRole('dialog', { name: 'Revoke this token?' });
  await expect(confirm).toContainText('e2e-ci');
  await confirm.getByRole('button', { name: 'Revoke token' }).click();
  await expect(row.getByTestId('token-state')).toHaveText('revoked');
  await expect(row.getByTestId('token-revoke')).toHaveCount(0);
  const refused = await client.teams.get.query({}).then(
    () => null,
    (err: unknown) => err,
  );
  expect(refused).toBeInstanceOf(TRPCClientError);
  expect((refused as { data?: { httpStatus?: number } }).data?.httpStatus).toBe(401);
  await pageShot(page, 'settings-tokens');
});

test('a secret value never appears in any page or API response after saving', async ({ page }) => {
  test.setTimeout(90_000);
  const admin = await signUp(page, 'secrets');
  const first = `first-${Date.now()}-s3cr3t`;
  const second = `second-${Date.now()}-s3cr3t`;
  // Every API answer the page receives, read as text.
  const bodies: Promise<string>[] = [];
  page.on('response', (res: Response) => {
    // tRPC answers only: a stream's body never ends.
    if (res.url().includes('/api/trpc')) bodies.push(res.text().catch(() => ''));
  });

  await page.goto(settingsOf(admin));
  await expect(page.getByTestId('secrets-readonly')).toHaveCount(0);
  await page.getByTestId('new-secret').click();
  const dialog = page.getByRole('dialog', { name: 'New secret' });
  const value = page.getByTestId('secret-value');
  await expect(value).toHaveAttribute('type', 'password');
  await expect(value).toHaveAttribute('autocomplete', 'off');

  // A bad name is refused on the field by the API's rule.
  await page.getByTestId('secret-name').fill('-bad name');
  await value.fill(first);
  await page.getByTestId('secret-save').click();
  await expect(dialog.getByTestId('field-error')).toContainText('letters, digits');
  await expect(value).toHaveValue(first);
  await page.getByTestId('secret-name').fill('WAREHOUSE_PASSWORD');
  await page.getByTestId('secret-description').fill('the warehouse loader');
  await expectAccessible(page);
  await page.getByTestId('secret-save').click();
  await expect(dialog).toHaveCount(0);
  const row = page.getByTestId('secret-row').filter({ hasText: 'WAREHOUSE_PASSWORD' });
  await expect(row).toContainText('the warehouse loader');
  await expect(page.getByTestId('secrets-status')).toHaveText('Secret WAREHOUSE_PASSWORD created.');

  // The same name again: the server's CONFLICT is said on the name field.
  await page.getByTestId('new-secret').click();
  await page.getByTestId('secret-name').fill('WAREHOUSE_PASSWORD');
  await page.getByTestId('secret-value').fill('whatever');
  await page.getByTestId('secret-save').click();
  await expect(
    page.getByRole('dialog', { name: 'New secret' }).getByTestId('field-error'),
  ).toContainText('exists');
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();

  // Replace: the field starts empty (the old value is never sent back).
  await row.getByTestId('secret-replace').click();
  const replace = page.getByRole('dialog', { name: 'Replace the value of WAREHOUSE_PASSWORD' });
  await expect(page.getByTestId('secret-value')).toHaveValue('');
  await expect(page.getByTestId('secret-name')).toHaveAttribute('readonly', '');
  await page.getByTestId('secret-value').fill(second);
  await dialogShot(page, 'settings-secret-replace');
  await page.getByTestId('secret-save').click();
  await expect(replace).toHaveCount(0);
  await expect(page.getByTestId('secrets-status')).toHaveText(
    'The value of WAREHOUSE_PASSWORD was replaced.',
  );

  // Nowhere: not in this page, not after a reload, not in the audit log, not in any API answer.
  await page.reload();
  await expect(row).toBeVisible();
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  for (const v of [first, second]) {
    expect(await page.content()).not.toContain(v);
  }
  for (const procedure of ['secrets.list', 'audit.list']) {
    const answer = JSON.stringify(
      await trpc(page.request, 'query', procedure, { teamSlug: admin.teamSlug }),
    );
    expect(answer).not.toContain(first);
    expect(answer).not.toContain(second);
  }
  const answers = await Promise.all(bodies);
  expect(answers.length).toBeGreaterThan(3);
  for (const body of answers) {
    expect(body).not.toContain(first);
    expect(body).not.toContain(second);
  }
  await expectAccessible(page);
  await pageShot(page, 'settings-secrets');

  await row.getByTestId('secret-delete').click();
  await page
    .getByRole('dialog', { name: 'Delete this secret?' })
    .getByRole('button', { name: 'Delete secret' })
    .click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('secrets-status')).toHaveText('Secret WAREHOUSE_PASSWORD deleted.');
});

test('the team is renamed; the audit log filters by actor, action and time, kept in the URL', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const admin = await signUp(page, 'audit');
  await page.goto(settingsOf(admin));
  const input = page.getByTestId('team-name-input');
  await input.fill('   ');
  await page.getByTestId('rename-team').click();
  await expect(page.getByTestId('rename-team-form').getByTestId('field-error')).toContainText(
    'a name is required',
  );
  await input.fill('Data platform');
  await page.getByTestId('rename-team').click();
  await expect(page.getByTestId('team-name')).toHaveText('Data platform');
  // The shell's team switcher follows (it comes from the server's layout).
  await expect(page.getByTestId('team-switcher')).toContainText('Data platform');

  // Something for each filter: a secret (the admin), a token.
  await trpc(page.request, 'mutation', 'secrets.create', {
    teamSlug: admin.teamSlug,
    name: 'AUDITED',
    value: 'v',
  });
  await trpc(page.request, 'mutation', 'tokens.create', {
    teamSlug: admin.teamSlug,
    name: 'audit-token',
  });
  await page.reload();
  const rows = page.getByTestId('audit-row');
  await expect(rows.filter({ hasText: 'team.rename' })).toContainText('Data platform');
  await expect(rows.filter({ hasText: 'secret.create' })).toContainText('AUDITED');

  await page.getByTestId('audit-action').selectOption('secret');
  await expect(page).toHaveURL(/action=secret/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-action', 'secret.create');

  await page.getByTestId('audit-action').selectOption('');
  await page.getByTestId('audit-actor').fill('no-such-person');
  await expect(page).toHaveURL(/actor=no-such-person/);
  await expect(page.getByTestId('empty-state')).toContainText('No entries match');
  await page.getByTestId('audit-actor').fill(admin.email.slice(0, 8));
  await expect(rows.filter({ hasText: 'token.create' })).toHaveCount(1);

  // A range ending before it starts is refused on "To"; a future range finds nothing.
  await page.getByTestId('audit-from').fill('2030-01-02T00:00');
  await page.getByTestId('audit-to').fill('2030-01-01T00:00');
  await expect(page.getByTestId('audit-filters').getByTestId('field-error')).toContainText(
    'the end is before the start',
  );
  await expect(page.getByTestId('audit-to')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('audit-to').fill('2030-01-03T00:00');
  await expect(page.getByTestId('empty-state')).toContainText('No entries match');

  // The filters survive a reload (they are in the URL).
  await page.reload();
  await expect(page.getByTestId('audit-from')).toHaveValue('2030-01-02T00:00');
  await expect(page.getByTestId('audit-actor')).toHaveValue(admin.email.slice(0, 8));
  await page.getByTestId('audit-clear').click();
  await expect(page).not.toHaveURL(/actor=|from=|to=/);
  await expect(rows.filter({ hasText: 'team.rename' })).toHaveCount(1);
  await expectAccessible(page);
  await pageShot(page, 'settings-audit');
});

test('retention: 30 days of logs and 90 of runs at first; an admin changes it, a bad value is refused on its field', async ({
  page,
}) => {
  const admin = await signUp(page, 'retention');
  await page.goto(settingsOf(admin));
  await expect(page.getByTestId('retention-logs')).toHaveText('30 days');
  await expect(page.getByTestId('retention-runs')).toHaveText('90 days');
  const form = page.getByTestId('retention-form');
  const logs = page.getByTestId('retention-logRetentionDays');
  const runs = page.getByTestId('retention-runRetentionDays');

  await logs.fill('a week');
  await page.getByTestId('retention-save').click();
  await expect(form.getByTestId('field-error')).toContainText('a whole number of days');
  await expect(logs).toHaveAttribute('aria-invalid', 'true');
  await logs.fill('120');
  await expect(form.getByTestId('field-error')).toContainText('logs go with their runs');
  // Nothing was stored meanwhile.
  await expect(page.getByTestId('retention-logs')).toHaveText('30 days');

  await logs.fill('7');
  await runs.fill('');
  await page.getByTestId('retention-save').click();
  await expect(page.getByTestId('retention-logs')).toHaveText('7 days');
  await expect(page.getByTestId('retention-runs')).toHaveText('forever');
  await page.reload();
  await expect(page.getByTestId('retention-runs')).toHaveText('forever');
  await expect(page.getByTestId('audit-row').filter({ hasText: 'team.retention' })).toHaveCount(1);
  await page.getByTestId('retention-form').scrollIntoViewIfNeeded();
  await screenshot(page, 'settings-retention');
});

test('settings and the auth pages in the dark theme: axe-clean, screenshots', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const dark = await freshPage(browser, { dark: true });
  await dark.goto('/sign-in');
  await expect(dark.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectAccessible(dark);
  await screenshot(dark, 'auth-sign-in-dark');
  await dark.goto('/sign-up?error=invalid&field=password');
  await expect(dark.getByTestId('field-error')).toContainText('at least 10 characters');
  await expect(dark.locator('input[name="password"]')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(dark);
  await screenshot(dark, 'auth-sign-up-dark');
  const me = await signUp(dark, 'dark');
  await trpc(dark.request, 'mutation', 'secrets.create', {
    teamSlug: me.teamSlug,
    name: 'WAREHOUSE_PASSWORD',
    value: 'dark-s3cr3t',
    description: 'the warehouse loader',
  });
  await dark.goto(settingsOf(me));
  await expect(dark.getByTestId('members-table')).toBeVisible();
  await expect(dark.getByTestId('audit-row').first()).toBeVisible();
  await expectAccessible(dark);
  await pageShot(dark, 'settings-owner-dark');
  await dark.getByTestId('new-token').click();
  await expectAccessible(dark);
  await dialogShot(dark, 'settings-new-token-dark');
  await dark.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  // A confirmation's danger button reads in the dark theme too.
  await dark.getByTestId('secret-delete').click();
  await expect(dark.getByRole('dialog', { name: 'Delete this secret?' })).toBeVisible();
  await expectAccessible(dark);
  await dialogShot(dark, 'settings-delete-secret-dark');
  await dark.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(dark.getByTestId('secret-row')).toHaveCount(1);
  await dark.context().close();

  const light = await freshPage(browser);
  await light.goto('/sign-in?error=invalid');
  await expect(light.getByTestId('auth-error')).toContainText('Wrong email or password');
  await expectAccessible(light);
  await screenshot(light, 'auth-sign-in');
  await light.goto('/sign-up');
  await expectAccessible(light);
  await screenshot(light, 'auth-sign-up');
  await light.goto('/invite');
  await expect(light.getByTestId('auth-error')).toContainText('no invitation');
  await expectAccessible(light);
  await light.context().close();
});

test('a refused sign-up or sign-in keeps what was typed (not the password), the error on its field', async ({
  page,
  browser,
}) => {
  test.setTimeout(60_000);
  const taken = await signUp(page, 'taken');

  const visitor = await freshPage(browser);
  await visitor.goto('/sign-up');
  await visitor.locator('input[name="name"]').fill('Ada Lovelace');
  await visitor.locator('input[name="email"]').fill(taken.email);
  await visitor.locator('input[name="password"]').fill('a-long-enough-password');
  await visitor.locator('form[aria-label="Sign up"] button[type="submit"]').click();
  const email = visitor.locator('input[name="email"]');
  await expect(visitor.getByTestId('field-error')).toContainText('An account with this email');
  await expect(email).toHaveAttribute('aria-invalid', 'true');
  await expect(email).toHaveValue(taken.email);
  await expect(email).toBeFocused();
  await expect(visitor.locator('input[name="name"]')).toHaveValue('Ada Lovelace');
  await expect(visitor.locator('input[name="password"]')).toHaveValue('');
  // Nothing typed travels in the URL.
  expect(visitor.url()).not.toContain(encodeURIComponent(taken.email));
  await expectAccessible(visitor);

  // Sign-in: a wrong password keeps the email; only the password is typed again.
  await visitor.goto('/sign-in');
  await visitor.locator('input[name="email"]').fill(taken.email);
  await visitor.locator('input[name="password"]').fill('not-the-password');
  await visitor.locator('form[aria-label="Sign in"] button[type="submit"]').click();
  await expect(visitor.getByTestId('auth-error')).toContainText('Wrong email or password');
  await expect(visitor.locator('input[name="email"]')).toHaveValue(taken.email);
  await expect(visitor.locator('input[name="password"]')).toBeFocused();
  await visitor.locator('input[name="password"]').fill(taken.password);
  await visitor.locator('form[aria-label="Sign in"] button[type="submit"]').click();
  await visitor.waitForURL(/\/t\/[^/]+\/workflows/);
  await visitor.context().close();
});

test('a user without a team gets the auth card at /: creating a team opens it', async ({
  page,
}) => {
  test.setTimeout(60_000);
  const me = await signUp(page, 'teamless');
  await trpc(page.request, 'mutation', 'teams.delete', { teamSlug: me.teamSlug });
  await page.goto('/');
  const card = page.getByTestId('no-team');
  await expect(card.getByRole('heading', { name: 'No team yet' })).toBeVisible();
  await expect(card).toContainText(me.email);
  await expectAccessible(page);
  await screenshot(page, 'no-team');
  // A blank name is refused on its field (the server trims it), focus on it again.
  const name = page.getByTestId('create-team-name');
  await name.fill(' '.repeat(3));
  await page.getByTestId('create-team-submit').click();
  await expect(card.getByTestId('field-error')).toContainText('a name is required');
  await expect(name).toBeFocused();
  await name.fill('Data platform');
  await page.getByTestId('create-team-submit').click();
  await page.waitForURL(/\/t\/data-platform[^/]*\/workflows/);
  await expect(page.getByTestId('team-switcher')).toContainText('Data platform');
});
