import { expect, test, type Page } from '@playwright/test';
import { applyWorkflow, expectAccessible, screenshot, signUp, trpc } from './support/app';

const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

async function drawEdge(page: Page, from: string, to: string, release = true) {
  const src = await node(page, from).locator('.react-flow__handle.source').boundingBox();
  const dst = await node(page, to).locator('.react-flow__handle.target').boundingBox();
  await page.mouse.move(src!.x + src!.width / 2, src!.y + src!.height / 2);
  await page.mouse.down();
  await page.mouse.move(dst!.x + dst!.width / 2 - 20, dst!.y + dst!.height / 2, { steps: 8 });
  await page.mouse.move(dst!.x + dst!.width / 2, dst!.y + dst!.height / 2, { steps: 4 });
  if (release) await page.mouse.up();
}

async function replaceCode(page: Page, testId: string, text: string) {
  const content = page.getByTestId(testId).locator('.cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(text);
}

test('draw a workflow: drag tasks, connect, refuse a cycle, fill forms, validate, save; YAML round trip; versions and diff; undo/redo', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const me = await signUp(page, 'editor');
  await page.goto(`/t/${me.teamSlug}/workflows`);
  await page.getByTestId('new-workflow').click();
  await expect(page).toHaveURL(/\/workflows\/new$/);
  const canvas = page.getByTestId('editor-canvas');
  await expect(page.getByTestId('save-workflow')).toBeDisabled(); // no tasks yet

  await page.getByTestId('workflow-name').fill('drawn-flow');
  // Dropped in a staircase near the left edge: the task panel that opens narrows the canvas.
  for (const [i, kind] of (['shell', 'shell', 'shell'] as const).entries()) {
    await page
      .getByTestId(`palette-${kind}`)
      .dragTo(canvas, { targetPosition: { x: 100 + i * 150, y: 70 + i * 100 } });
    await expect(node(page, `shell_${i + 1}`)).toBeVisible();
  }
  await drawEdge(page, 'shell_1', 'shell_2');
  await drawEdge(page, 'shell_2', 'shell_3');
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // shell_3 → shell_1 would close a cycle: refused while drawing, with the reason, and not added.
  await drawEdge(page, 'shell_3', 'shell_1', false);
  await expect(page.getByTestId('connect-hint')).toContainText('cycle');
  await page.mouse.up();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  // Fill the first task's form.
  await node(page, 'shell_1').click();
  await expect(page.getByTestId('task-panel')).toBeVisible();
  await replaceCode(page, 'code-command', 'echo "extracting"');
  await page.getByTestId('retries-max').fill('3');
  await expect(page.getByTestId('retry-preview')).toContainText('#2: 10s');

  // An invalid value: the node shows it and Save is blocked until it is fixed.
  await page.getByLabel('Priority (−100…100)').fill('500');
  await expect(node(page, 'shell_1').getByTestId('node-error-badge')).toBeVisible();
  await expect(page.getByTestId('task-panel').getByTestId('field-error').first()).toBeVisible();
  await expect(page.getByTestId('save-workflow')).toBeDisabled();
  await screenshot(page, 'editor-invalid');
  await page.getByLabel('Priority (−100…100)').fill('5');
  await expect(node(page, 'shell_1').getByTestId('node-error-badge')).toHaveCount(0);
  await expect(page.getByTestId('save-workflow')).toBeEnabled();

  await page.getByTestId('save-workflow').click();
  await expect(page.getByTestId('save-result')).toContainText('Created drawn-flow (version 1)');
  await expect(page).toHaveURL(/\/workflows\/drawn-flow\/edit$/);
  await screenshot(page, 'editor-saved');

  // YAML → canvas: a task added in the text appears on the canvas with its edge.
  await page.getByTestId('tab-yaml').click();
  await expect(page.getByTestId('yaml-editor').locator('.cm-content')).toContainText('drawn-flow');
  const yaml = await page.getByTestId('yaml-editor').locator('.cm-content').innerText();
  await replaceCode(
    page,
    'yaml-editor',
    `${yaml.trimEnd()}\n  report:\n    kind: noop\n    needs: [shell_3]\n`,
  );
  await page.getByTestId('tab-canvas').click();
  await expect(node(page, 'report')).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(3);

  // Canvas → YAML: deleting a node removes it (and its edges) from the text.
  await node(page, 'shell_2').click();
  await page.keyboard.press('Delete');
  await expect(node(page, 'shell_2')).toHaveCount(0);
  await page.getByTestId('tab-yaml').click();
  await expect(page.getByTestId('yaml-editor').locator('.cm-content')).not.toContainText('shell_2');
  await expect(page.getByTestId('yaml-editor').locator('.cm-content')).toContainText('report');
  await page.getByTestId('tab-canvas').click();

  // Undo brings shell_2 back with its edges; redo deletes it again.
  await canvas.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('ControlOrMeta+z');
  await expect(node(page, 'shell_2')).toBeVisible();
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(node(page, 'shell_2')).toHaveCount(0);

  await page.getByTestId('save-workflow').click();
  await expect(page.getByTestId('save-result')).toContainText('Saved as version 2');

  // Moving a node only saves positions: no new version.
  const box = await node(page, 'report').boundingBox();
  await page.mouse.move(box!.x + 40, box!.y + 20);
  await page.mouse.down();
  await page.mouse.move(box!.x + 40, box!.y + 140, { steps: 6 });
  await page.mouse.up();
  await page.getByTestId('save-workflow').click();
  await expect(page.getByTestId('save-result')).toContainText('node positions saved');
  await expectAccessible(page, ['.react-flow__minimap']);
  await screenshot(page, 'editor');

  // The workflow page: graph, both versions, their diff.
  await page.goto(`/t/${me.teamSlug}/workflows/drawn-flow`);
  await expect(page.getByTestId('workflow-graph').locator('.react-flow__node')).toHaveCount(3);
  await expect(page.getByTestId('versions-list').locator('li')).toHaveCount(2);
  const diff = page.getByTestId('version-diff');
  await expect(diff.locator('[data-diff="del"]').filter({ hasText: 'shell_2:' })).toHaveCount(1);
  await expect(diff.locator('[data-diff="add"]').filter({ hasText: 'report:' })).toHaveCount(1);
  await expect(diff.locator('[data-diff="add"]').first()).toBeVisible();
  await diff.getByRole('button', { name: 'Side by side' }).click();
  await expect(diff.locator('table')).toBeVisible();
  await screenshot(page, 'workflow-page');
  await expectAccessible(page, ['.react-flow__minimap']);
});

test('a viewer sees the editor read-only', async ({ browser }) => {
  const ownerCtx = await browser.newContext();
  const viewerCtx = await browser.newContext();
  const owner = await ownerCtx.newPage();
  const viewer = await viewerCtx.newPage();
  const alice = await signUp(owner, 'owner');
  await applyWorkflow(
    owner.request,
    alice.teamSlug,
    'name: shared\ntasks:\n  a: { kind: shell, command: echo a }\n  b: { kind: noop, needs: [a] }\n',
  );
  // Invitations are bound to an email: sign the viewer up with it.
  const email = `viewer-${Date.now()}@e2e.test`;
  const inv = await trpc<{ acceptPath: string }>(owner.request, 'mutation', 'members.invite', {
    teamSlug: alice.teamSlug,
    email,
    role: 'viewer',
  });
  const token = new URL(inv.acceptPath, 'http://x').searchParams.get('token')!;
  await viewer.goto(`/sign-up?invite=${encodeURIComponent(token)}`);
  await viewer.locator('input[name="email"]').fill(email);
  await viewer.locator('input[name="password"]').fill('viewer-password-1');
  await viewer.locator('form[aria-label="Sign up"] button[type="submit"]').click();
  await viewer.waitForURL(/\/t\//);

  await viewer.goto(`/t/${alice.teamSlug}/workflows/shared/edit`);
  await expect(viewer.getByTestId('workflow-editor')).toContainText('read-only');
  await expect(viewer.getByTestId('save-workflow')).toHaveCount(0);
  await expect(viewer.getByTestId('palette-shell')).toHaveCount(0);
  await node(viewer, 'a').click();
  await expect(viewer.getByTestId('task-id')).toBeDisabled();
  await viewer.keyboard.press('Delete');
  await expect(node(viewer, 'a')).toBeVisible();
  await screenshot(viewer, 'editor-viewer');
  await viewer.goto(`/t/${alice.teamSlug}/workflows`);
  await expect(viewer.getByTestId('new-workflow')).toHaveCount(0);
  await ownerCtx.close();
  await viewerCtx.close();
});
