/// <reference lib="dom" />
/**
 * The web app's benchmark (`npm run bench -- ui`, also part of the full run): the whole system as
 * `npm start` runs it, driven by headless Chromium.
 *
 * - editor_500_render_ms: navigation start → every node of a 500-task, ~1,000-edge workflow
 *   rendered and the canvas ready; the workflow has no stored positions (applied through the API),
 *   so the browser lays it out: on the first open in a browser (editor_500_cold_render_ms, a fresh
 *   context each time, so no cached layout) and on later opens (editor_500_render_ms, the layout
 *   cached by the browser);
 * - editor_5_render_ms: the same page with 5 tasks (the in-run baseline);
 * - editor_500_drag_frame_ms: p95 frame time while dragging one node across the 500-task canvas;
 * - the run page's figures (bench/uiRuns.ts): a 1,000-task run, live lag, a 100,000-line log;
 * - the dashboards' and the runs list's API on 1,000,000 task attempts (bench/uiMetrics.ts).
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { createDatabase, withClient, type BenchServer } from './database';
import { REPO_ROOT, spawnNode, stopChild } from './processes';
import { percentile } from './stats';
import { runMetricsBench, uiMetricsTargets, type UiMetricsResult } from './uiMetrics';
import { runRunPageBench, uiRunsTargets, type UiRunsResult } from './uiRuns';
import { layeredWorkflowYaml } from './uiWorkflows';

export interface UiResult extends Omit<UiRunsResult, 'samples'>, Omit<UiMetricsResult, 'samples'> {
  editor_500_render_ms: number;
  editor_500_cold_render_ms: number;
  editor_5_render_ms: number;
  editor_500_drag_frame_ms: number;
  samples: {
    editor500: number[];
    editor500Cold: number[];
    editor5: number[];
    dragFrames: number;
    runs: UiRunsResult['samples'];
    metrics: UiMetricsResult['samples'];
  };
}

const PORT = Number(process.env.BENCH_UI_PORT ?? 3290);
const REPEATS = Number(process.env.BENCH_UI_REPEATS ?? 11);
const COLD_REPEATS = Number(process.env.BENCH_UI_COLD_REPEATS ?? 3);

export async function runUiBench(
  server: BenchServer,
  log: (line: string) => void,
): Promise<UiResult> {
  const url = await createDatabase(server, 'bench_ui');
  log(`ui: starting the system (npm start's script) on :${PORT}`);
  const system = spawnNode('system', path.join(REPO_ROOT, 'scripts/start.mjs'), [], {
    DATABASE_URL: url,
    DTSS_WEB_PORT: String(PORT),
    DTSS_HOME: path.join(REPO_ROOT, '.dtss/bench-ui-home'),
    DTSS_WORKERS: '1',
    // The metrics figures wait for the rollup of the history they write (bench/uiMetrics.ts).
    DTSS_METRICS_ROLLUP_MS: '2000',
    NEXT_TELEMETRY_DISABLED: '1',
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    await waitForHealth(`http://127.0.0.1:${PORT}/api/health`, 600_000);
    const context = await browser.newContext({
      baseURL: `http://127.0.0.1:${PORT}`,
      viewport: { width: 1600, height: 1000 },
    });
    const page = await context.newPage();
    const slug = await signUp(page);
    await apply(page, slug, layeredWorkflowYaml('bench-500', 500, 10, 2));
    await apply(page, slug, layeredWorkflowYaml('bench-5', 5, 3, 1));

    const editor5: number[] = [];
    const editor500: number[] = [];
    // One warm-up each (the first visit compiles nothing under `next start`, but warms caches).
    await renderTime(page, `/t/${slug}/workflows/bench-5/edit`, 5);
    await renderTime(page, `/t/${slug}/workflows/bench-500/edit`, 500);
    // First opens: the layout cache of the browser (localStorage) emptied before each, the
    // scripts still in the HTTP cache, as for a workflow nobody opened in this browser yet.
    const editor500Cold: number[] = [];
    for (let i = 0; i < COLD_REPEATS; i++) {
      await page.evaluate('localStorage.clear()');
      editor500Cold.push(await renderTime(page, `/t/${slug}/workflows/bench-500/edit`, 500));
    }
    for (let i = 0; i < REPEATS; i++) {
      editor5.push(await renderTime(page, `/t/${slug}/workflows/bench-5/edit`, 5));
      editor500.push(await renderTime(page, `/t/${slug}/workflows/bench-500/edit`, 500));
    }
    log(
      `ui: editor 5 tasks ${editor5.map(Math.round).join(' / ')} ms; 500 tasks ${editor500.map(Math.round).join(' / ')} ms; ` +
        `500 tasks, first open ${editor500Cold.map(Math.round).join(' / ')} ms`,
    );
    log(`ui: dragging on ${page.url()} (${await page.locator('.react-flow__node').count()} nodes)`);
    const frames = await dragFrames(page);
    log(
      `ui: drag over 500 tasks: ${frames.length} frames, p95 ${percentile(frames, 95).toFixed(1)} ms`,
    );
    const runs = await runRunPageBench(
      page,
      slug,
      async (procedure, input) => trpcCall(page, procedure, input),
      (sql, params) => withClient(url, (c) => c.query(sql, params)),
      log,
    );
    const { samples: runSamples, ...runFigures } = runs;
    // Last: a million task attempts in the database would weigh on the figures above.
    const metrics = await runMetricsBench(
      page.request,
      (sql, params) => withClient(url, (c) => c.query(sql, params)),
      log,
    );
    const { samples: metricSamples, ...metricFigures } = metrics;
    return {
      ...runFigures,
      ...metricFigures,
      editor_500_render_ms: Math.round(median(editor500)),
      editor_500_cold_render_ms: Math.round(median(editor500Cold)),
      editor_5_render_ms: Math.round(median(editor5)),
      editor_500_drag_frame_ms: Math.round(percentile(frames, 95) * 10) / 10,
      samples: {
        editor500: editor500.map(Math.round),
        editor500Cold: editor500Cold.map(Math.round),
        editor5: editor5.map(Math.round),
        dragFrames: frames.length,
        runs: runSamples,
        metrics: metricSamples,
      },
    };
  } finally {
    await browser.close();
    system.process.kill('SIGTERM');
    await stopChild(system, 30_000);
  }
}

/** Navigation start → `count` nodes in the DOM and the canvas ready, read in the page's clock. */
async function renderTime(page: Page, url: string, count: number): Promise<number> {
  await page.goto('about:blank');
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (n) => {
      const canvas = document.querySelector<HTMLElement>('[data-testid="editor-canvas"]');
      const nodes = document.querySelectorAll('.react-flow__node').length;
      const viewport = document.querySelector('.react-flow__viewport');
      return canvas?.dataset.ready === 'true' && nodes === n && viewport !== null
        ? performance.now()
        : false;
    },
    count,
    { polling: 'raf', timeout: 60_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** Frame times while one node is dragged in 60 steps. */
async function dragFrames(page: Page): Promise<number[]> {
  const node = page.locator('.react-flow__node').nth(250);
  const box = (await node.boundingBox())!;
  // Scripts as text: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stop = false;
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (!window.__stop) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  for (let i = 1; i <= 60; i++) {
    await page.mouse.move(box.x + box.width / 2 + i * 4, box.y + box.height / 2 + i * 2);
  }
  await page.mouse.up();
  const frames = await page.evaluate<number[]>(
    `(() => { window.__stop = true; return window.__frames.slice(1); })()`,
  );
  return frames;
}

async function signUp(page: Page): Promise<string> {
  await page.goto('/sign-up');
  await page
    .locator('input[name="email"]')
    .fill(`bench-${randomBytes(4).toString('hex')}@bench.test`);
  await page.locator('input[name="password"]').fill(`pw-${randomBytes(8).toString('hex')}`);
  await page.locator('form[aria-label="Sign up"] button[type="submit"]').click();
  await page.waitForURL(/\/t\/[^/]+\/workflows/, { timeout: 60_000 });
  return new URL(page.url()).pathname.split('/')[2]!;
}

async function apply(page: Page, teamSlug: string, text: string): Promise<void> {
  await trpcCall(page, 'workflows.applyDefinition', { teamSlug, text, format: 'yaml' });
}

/** A tRPC procedure through the signed-in page's cookies: queries as GET, the rest as POST. */
async function trpcCall(page: Page, procedure: string, input: unknown): Promise<unknown> {
  const isQuery = /\.(get|list|history|count)$/.test(procedure);
  const res = isQuery
    ? await page.request.get(
        `/api/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
      )
    : await page.request.post(`/api/trpc/${procedure}`, { data: { json: input } });
  const text = await res.text();
  if (!res.ok()) throw new Error(`${procedure} failed: ${res.status()} ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { result: { data: { json: unknown } } }).result.data.json;
}

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the system did not become healthy at ${url}`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export function uiTargets(r: UiResult) {
  return [
    ...uiRunsTargets(r),
    ...uiMetricsTargets(r),
    {
      name: 'editor_500_render_ms ≤ 1000',
      value: r.editor_500_render_ms,
      pass: r.editor_500_render_ms <= 1_000,
    },
    {
      name: 'editor_500_render_ms ≤ 3 × editor_5_render_ms',
      value: Math.round((r.editor_500_render_ms / r.editor_5_render_ms) * 100) / 100,
      pass: r.editor_500_render_ms <= 3 * r.editor_5_render_ms,
    },
    {
      name: 'editor_500_drag_frame_ms (p95) ≤ 33',
      value: r.editor_500_drag_frame_ms,
      pass: r.editor_500_drag_frame_ms <= 33,
    },
  ];
}
