/**
 * Helpers of the browser tests: people sign up through the real pages, and the tests reach the
 * API the way the browser does (tRPC over HTTP with the session cookie of the page's context).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

export const ARTIFACTS = path.resolve(import.meta.dirname, '../artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

export interface Person {
  email: string;
  password: string;
  teamSlug: string;
}

export function uniqueEmail(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}@e2e.test`;
}

/** Signs a new person up through the sign-up page; they land in their own team. */
export async function signUp(
  page: Page,
  prefix: string,
  /** `email`: this address instead of a new one (the stack's operator, say). */
  opts: { invite?: string; email?: string } = {},
): Promise<Person> {
  const email = opts.email ?? uniqueEmail(prefix);
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await page.goto(opts.invite ? `/sign-up?invite=${encodeURIComponent(opts.invite)}` : '/sign-up');
  await page.locator('input[name="name"]').fill(prefix);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form[aria-label="Sign up"] button[type="submit"]').click();
  await page.waitForURL(/\/t\/[^/]+\/workflows/);
  const teamSlug = new URL(page.url()).pathname.split('/')[2]!;
  return { email, password, teamSlug };
}

export async function signIn(
  page: Page,
  person: Pick<Person, 'email' | 'password'>,
): Promise<void> {
  await page.goto('/sign-in');
  await page.locator('input[name="email"]').fill(person.email);
  await page.locator('input[name="password"]').fill(person.password);
  await page.locator('form[aria-label="Sign in"] button[type="submit"]').click();
  await page.waitForURL(/\/t\/[^/]+\//);
}

/** One tRPC call over HTTP (superjson envelope), as the page's signed-in user. */
export async function trpc<T = unknown>(
  request: APIRequestContext,
  kind: 'query' | 'mutation',
  procedure: string,
  input: unknown,
): Promise<T> {
  const res =
    kind === 'query'
      ? await request.get(
          `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
        )
      : await request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  const body = (await res.json()) as {
    result?: { data?: { json?: T } };
    error?: { json?: { message?: string } };
  };
  if (!res.ok())
    throw new Error(`${procedure}: ${res.status()} ${body.error?.json?.message ?? ''}`);
  return body.result!.data!.json as T;
}

/** Waits until the run has this status (a minute at most: the suite's stack is busy). */
export async function waitForRunStatus(
  request: APIRequestContext,
  runId: string,
  status: string,
): Promise<void> {
  await expect
    .poll(
      async () => (await trpc<{ status: string }>(request, 'query', 'runs.get', { runId })).status,
      {
        timeout: 60_000,
      },
    )
    .toBe(status);
}

/** Applies a workflow file's text in a team. */
export function applyWorkflow(
  request: APIRequestContext,
  teamSlug: string,
  text: string,
  layout?: Record<string, { x: number; y: number }>,
) {
  return trpc<{ workflowId: string; version: number; change: string }>(
    request,
    'mutation',
    'workflows.applyDefinition',
    {
      teamSlug,
      text,
      format: 'yaml',
      ...(layout ? { layout } : {}),
    },
  );
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe: no serious or critical violations on the page as it is. */
export async function expectAccessible(page: Page, exclude: string[] = []): Promise<void> {
  let builder = new AxeBuilder({ page });
  for (const e of exclude) builder = builder.exclude(e);
  const results = await builder.analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    ),
  ).toEqual([]);
}

/**
 * Presses Tab until `target` has the focus (at most `max` presses) and checks it shows the focus
 * ring; returns the number of presses. Fails when the keyboard never gets there.
 */
export async function tabTo(page: Page, target: Locator, max = 40): Promise<number> {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) {
      const ring = await target.evaluate((el) => {
        const style = getComputedStyle(el);
        return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
      });
      expect(ring, 'a visible focus ring').toBe(true);
      return presses;
    }
  }
  throw new Error(`Tab did not reach ${target} in ${max} presses`);
}
