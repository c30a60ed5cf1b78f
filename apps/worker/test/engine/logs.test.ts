import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, task, uniqueName, type Engine } from './harness';

const CAP = 100_000;

let engine: Engine;
let capped: Engine;
beforeAll(async () => {
  [engine, capped] = await Promise.all([
    startEngine({ label: 'logs', workers: 1 }),
    startEngine({ label: 'logcap', workers: 1, env: { DTSS_LOG_MAX_BYTES: String(CAP) } }),
  ]);
});
afterAll(async () => {
  await Promise.all([engine?.stop(), capped?.stop()]);
});

describe('task logs', () => {
  it('stores 20,000 stdout lines in order with stderr lines interleaved, streams recorded', async () => {
    const name = uniqueName('lines');
    await engine.deploy(`
name: ${name}
tasks:
  chatty:
    kind: shell
    command: |
      i=1
      while [ $i -le 20000 ]; do
        echo "line $i"
        if [ $((i % 1000)) -eq 0 ]; then echo "err $i" >&2; fi
        i=$((i + 1))
      done
`);
    const runId = await engine.run(name);
    const view = await engine.waitForRun(runId, 30_000);
    expect(task(view, 'chatty').status).toBe('succeeded');

    const lines = await engine.logsOf(runId, 'chatty');
    const out = lines.filter((l) => /^line \d+$/.test(l.text));
    const err = lines.filter((l) => /^err \d+$/.test(l.text));
    expect(out).toHaveLength(20_000);
    expect(out.map((l) => l.text)).toEqual(
      Array.from({ length: 20_000 }, (_, i) => `line ${i + 1}`),
    );
    expect(err.map((l) => l.text)).toEqual(
      Array.from({ length: 20 }, (_, i) => `err ${(i + 1) * 1000}`),
    );
    expect(new Set(out.map((l) => l.stream))).toEqual(new Set(['stdout']));
    expect(new Set(err.map((l) => l.stream))).toEqual(new Set(['stderr']));
    // stdout and stderr are separate pipes: their relative order is only as good as the pipes'
    // buffering, so only the order within each stream is checked.
    // Line numbers are dense and chunks contiguous.
    expect(lines.map((l) => l.line)).toEqual(lines.map((_, i) => i));

    const { rows } = await engine.pool.query<{
      seq: number;
      first_line: number;
      line_count: number;
      nl: number;
    }>(
      `SELECT c.seq, c.first_line, c.line_count,
              array_length(string_to_array(c.text, E'\\n'), 1) AS nl
         FROM log_chunks c JOIN task_runs t ON t.id = c.task_run_id
        WHERE c.run_id = $1 AND t.task_key = 'chatty' ORDER BY c.seq`,
      [runId],
    );
    let next = 0;
    rows.forEach((r, i) => {
      expect(r.seq).toBe(i);
      expect(r.first_line).toBe(next);
      expect(r.nl).toBe(r.line_count);
      next += r.line_count;
    });
    const attempt = await engine.pool.query<{ log_lines: number; log_truncated: boolean }>(
      `SELECT a.log_lines, a.log_truncated FROM task_attempts a
         JOIN task_runs t ON t.id = a.task_run_id WHERE a.run_id = $1 AND t.task_key = 'chatty'`,
      [runId],
    );
    expect(attempt.rows[0]).toMatchObject({ log_lines: next, log_truncated: false });
  });

  it('keeps a line without a trailing newline', async () => {
    const name = uniqueName('nonl');
    await engine.deploy(`
name: ${name}
tasks:
  partial: { kind: shell, command: "printf 'first\\\\nno newline at the end'" }
`);
    const runId = await engine.run(name);
    await engine.waitForRun(runId, 20_000);
    const texts = (await engine.logsOf(runId, 'partial')).map((l) => l.text);
    expect(texts).toContain('first');
    expect(texts).toContain('no newline at the end');
  });

  it('caps stored bytes per attempt at DTSS_LOG_MAX_BYTES and marks the attempt truncated', async () => {
    const name = uniqueName('flood');
    // ~5 MB: 50,000 lines of 100 bytes.
    await capped.deploy(`
name: ${name}
tasks:
  flood:
    kind: shell
    command: yes 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' | head -n 50000; echo done
`);
    const runId = await capped.run(name);
    const view = await capped.waitForRun(runId, 30_000);
    expect(task(view, 'flood').status).toBe('succeeded');
    const { rows } = await capped.pool.query<{ bytes: number; truncated: boolean }>(
      `SELECT coalesce((SELECT sum(octet_length(c.text))::int FROM log_chunks c
                         WHERE c.attempt_id = a.id), 0) AS bytes,
              a.log_truncated AS truncated
         FROM task_attempts a JOIN task_runs t ON t.id = a.task_run_id
        WHERE a.run_id = $1 AND t.task_key = 'flood'`,
      [runId],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.truncated).toBe(true);
    expect(rows[0]!.bytes).toBeGreaterThan(CAP / 2);
    expect(rows[0]!.bytes).toBeLessThanOrEqual(CAP + 1_000);
    const lines = await capped.logsOf(runId, 'flood');
    expect(lines.at(-1)!.text).toMatch(/truncat|limit|cap|dropped/i);
  });
});
