import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectOutput, MAX_OUTPUT_BYTES, OutputLines, parseOutput } from './outputContract';

describe('output contract', () => {
  it('takes the last output line; other lines are ignored', () => {
    const lines = new OutputLines();
    expect(lines.result()).toEqual({ ok: true, output: undefined });
    lines.observe('::output:: {"a":1}');
    lines.observe('hello ::output:: 3');
    lines.observe('::output::  [2]  ');
    expect(lines.result()).toEqual({ ok: true, output: [2] });
  });

  it('refuses invalid JSON and oversized text with clear messages', () => {
    const bad = parseOutput('{x', 'output');
    expect(bad).toMatchObject({ ok: false });
    expect(!bad.ok && bad.error).toMatch(/^output is not valid JSON: .* \(in "\{x"\)$/);
    const big = parseOutput(`"${'x'.repeat(MAX_OUTPUT_BYTES)}"`, 'output');
    expect(!big.ok && big.error).toBe('output is 1 MiB, over the 1 MiB limit');
    const cut = new OutputLines();
    cut.observe('::output:: "xxxx', 2_000_000);
    expect(cut.result()).toMatchObject({
      ok: false,
      error: expect.stringMatching(/1\.9 MiB, over/),
    });
  });

  it('prefers the output file, ignores an absent or empty one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dtss-out-'));
    const file = join(dir, 'out.json');
    const lines = new OutputLines();
    lines.observe('::output:: "line"');
    expect(await collectOutput(lines, file)).toEqual({ ok: true, output: 'line' });
    await writeFile(file, '  \n');
    expect(await collectOutput(lines, file)).toEqual({ ok: true, output: 'line' });
    await writeFile(file, '{"f": true}\n');
    expect(await collectOutput(lines, file)).toEqual({ ok: true, output: { f: true } });
  });
});
