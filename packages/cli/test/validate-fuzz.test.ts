/**
 * Bad workflow files at scale for `dtss validate`: files mutated from the valid examples in
 * examples/ (structure: fields replaced by hostile values, dropped, renamed, cycles; text: lines
 * dropped, duplicated, swapped or re-indented, characters inserted, truncation), YAML and JSON
 * traps (alias bombs, deep nesting, odd tags, duplicate keys, byte-order marks) and garbage bytes.
 * `dtss validate` must never crash nor print a stack trace, and every file it does not accept
 * gets at least one error that names a path in it (or a line), or the file as a whole.
 *
 * Most files go through the command in-process (the program `dtss` runs, output captured); the
 * real binary then checks a directory of them twice, as text and as JSON.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseWorkflowText } from '@dtss/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createProgram } from '../src/program';
import { CLI_MAIN } from './cli-bin';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');
/** Problems of a file as a whole (printed after its name), rather than of one place in it. */
const WHOLE_FILE = /the file is empty/;
const STACK = /\n\s+at |node_modules|TypeError|RangeError|Maximum call stack/;

interface Example {
  name: string;
  text: string;
  /** The example's workflow as plain data (JSON is YAML too: either extension reads it). */
  data: Record<string, unknown>;
}

let dir: string;
let examples: Example[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dtss-validate-fuzz-'));
  const names = (await readdir(EXAMPLES)).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  examples = [];
  for (const name of names) {
    const text = await readFile(path.join(EXAMPLES, name), 'utf8');
    const parsed = parseWorkflowText(text, { filename: name });
    if (!parsed.ok) throw new Error(`${name} does not validate`);
    examples.push({ name, text, data: JSON.parse(JSON.stringify(parsed.workflow)) as never });
  }
  expect(examples.length).toBeGreaterThan(3);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

// ── Files ─────────────────────────────────────────────────────────────────────────────────────

const nest = (depth: number, open: string, close: string, leaf = '1') =>
  `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;

const HOSTILE: unknown[] = [
  null,
  true,
  -1,
  0,
  1.5,
  -(2 ** 31),
  2 ** 53 + 2,
  1e308,
  '',
  ' ',
  '\u0000',
  '\ud800',
  '💥',
  '\u202e',
  'x'.repeat(5_000),
  [],
  {},
  [[[[[]]]]],
  JSON.parse(nest(80, '{"a":', '}')) as unknown,
  JSON.parse(nest(80, '[', ']')) as unknown,
  '{{ tasks.nope.output }}',
  '{{ secrets. }}',
  '0 0 31 2 *',
  'shell',
  'a',
];

/** Paths of every value in `v` (keys and indexes), for picking one to change. */
function pathsOf(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(at);
  if (Array.isArray(v)) v.forEach((item, i) => pathsOf(item, [...at, i], out));
  else if (v && typeof v === 'object') {
    for (const [k, item] of Object.entries(v)) pathsOf(item, [...at, k], out);
  }
  return out;
}

type Edit =
  | { kind: 'set'; at: number; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'rename'; at: number; suffix: string }
  | { kind: 'cycle'; at: number };

/** `data` with one edit at the `at`-th of its paths (structure of a copy, never the original). */
function edit(data: unknown, e: Edit): unknown {
  const copy = JSON.parse(JSON.stringify(data)) as Record<string, unknown>;
  if (e.kind === 'cycle') {
    const tasks = copy.tasks as Record<string, Record<string, unknown>> | undefined;
    const keys = Object.keys(tasks ?? {});
    if (!tasks || keys.length === 0) return copy;
    const a = keys[e.at % keys.length]!;
    const b = keys[(e.at + 1) % keys.length]!;
    tasks[a]!.needs = [b];
    tasks[b]!.needs = [a];
    return copy;
  }
  const paths = pathsOf(copy).filter((p) => p.length > 0);
  const target = paths[e.at % paths.length]!;
  const parent = target.slice(0, -1).reduce<unknown>((o, k) => (o as never)[k], copy) as Record<
    string | number,
    unknown
  >;
  const key = target.at(-1)!;
  if (e.kind === 'set') parent[key] = e.value;
  else if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (e.kind === 'drop') delete parent[key];
  else {
    parent[`${String(key)}${e.suffix}`] = parent[key];
    delete parent[key];
  }
  return copy;
}

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      at: fc.nat(),
      value: fc.constantFrom(...HOSTILE),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('rename' as const),
      at: fc.nat(),
      suffix: fc.constantFrom('s', '_', 'É', ' ', '\u0000'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cycle' as const), at: fc.nat() }) },
);

type TextEdit = {
  kind: 'line-drop' | 'line-dup' | 'line-swap' | 'indent' | 'insert' | 'cut';
  at: number;
  char: string;
};

function editText(text: string, e: TextEdit): string {
  const lines = text.split('\n');
  const i = e.at % lines.length;
  const j = (e.at * 7 + 3) % lines.length;
  switch (e.kind) {
    case 'line-drop':
      lines.splice(i, 1);
      return lines.join('\n');
    case 'line-dup':
      lines.splice(i, 0, lines[i]!);
      return lines.join('\n');
    case 'line-swap':
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    case 'indent':
      lines[i] = (e.at % 2 ? ' ' : '\t') + lines[i];
      return lines.join('\n');
    case 'insert': {
      const k = e.at % (text.length + 1);
      return text.slice(0, k) + e.char + text.slice(k);
    }
    case 'cut':
      return text.slice(0, e.at % (text.length + 1));
  }
}

const textEditArb: fc.Arbitrary<TextEdit> = fc.record({
  kind: fc.constantFrom('line-drop', 'line-dup', 'line-swap', 'indent', 'insert', 'insert', 'cut'),
  at: fc.nat(),
  char: fc.constantFrom(
    ':',
    '-',
    '{',
    '[',
    '"',
    "'",
    '&a',
    '*a',
    '!!binary',
    '%',
    '#',
    '\u0000',
    '\ufeff',
    '\ud800',
    '\t',
    '\r',
  ),
});

/** Files that hit the parsers' limits and traps head on. */
const TRAPS: string[] = [
  '',
  '\ufeffname: bom\ntasks:\n  a: { kind: noop }\n',
  'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n',
  `name: deep\ntasks: ${nest(10_000, '[', ']')}\n`,
  `{"name":"deep","tasks":${nest(100_000, '{"a":', '}')}}`,
  'name: dup\nname: dup\ntasks:\n  a: { kind: noop }\n  a: { kind: noop }\n',
  'name: !!binary aGVsbG8=\ntasks:\n  a: { kind: !!js/function "function(){}" }\n',
  'name: ts\ntasks:\n  a: { kind: noop, timeout: 2026-12-07T10:00:00Z }\n',
  '<<: *nope\n',
  '--- \nname: a\ntasks: {a: {kind: noop}}\n---\nname: b\n',
  `name: big\ndescription: "${'x'.repeat(1_100_000)}"\ntasks:\n  a: { kind: noop }\n`,
  `name: many\ntasks:\n${Array.from({ length: 1_200 }, (_, i) => `  t${i}: { kind: noop }`).join('\n')}\n`,
  'name: "\\u0000"\ntasks:\n  "\\ud800": { kind: noop }\n',
];

interface GeneratedFile {
  ext: '.yaml' | '.yml' | '.json';
  bytes: Uint8Array;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

function files(): fc.Arbitrary<GeneratedFile> {
  const example = fc.constantFrom(...examples);
  const ext = fc.constantFrom<GeneratedFile['ext']>('.yaml', '.yml', '.json');
  const content = fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .tuple(example, fc.array(editArb, { minLength: 1, maxLength: 3 }), fc.boolean())
        .map(([ex, edits, pretty]) =>
          utf8(JSON.stringify(edits.reduce<unknown>(edit, ex.data), null, pretty ? 2 : undefined)),
        ),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(example, fc.array(textEditArb, { minLength: 1, maxLength: 4 }))
        .map(([ex, edits]) => utf8(edits.reduce(editText, ex.text))),
    },
    { weight: 1, arbitrary: fc.constantFrom(...TRAPS).map(utf8) },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 200 }).map(utf8),
        fc.constantFrom(
          new Uint8Array([0xff, 0xfe, 0x6e, 0x00, 0x61, 0x00]),
          new Uint8Array([0xc0, 0x80, 0x3a, 0x20, 0x31]),
          new Uint8Array([0xed, 0xa0, 0x80]),
        ),
      ),
    },
  );
  return fc.record({ ext, bytes: content });
}

// ── Running `dtss validate` ───────────────────────────────────────────────────────────────────

interface ValidationError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}
interface Report {
  ok: boolean;
  files: { file: string; ok: boolean; errors?: ValidationError[] }[];
}

/** `dtss validate <args>` in this process: what it printed and its exit status. */
async function validateInProcess(args: string[]): Promise<{ stdout: string; code: number }> {
  let stdout = '';
  const write = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => {
      stdout += String(chunk);
      return true;
    });
  const previous = process.exitCode;
  try {
    await createProgram()
      .exitOverride()
      .parseAsync(['node', 'dtss', 'validate', ...args]);
    return { stdout, code: Number(process.exitCode ?? 0) };
  } finally {
    write.mockRestore();
    process.exitCode = previous;
  }
}

/** The problem with how a rejected file is reported, if any. */
function reportProblem(file: Report['files'][number]): string | null {
  if (file.ok) return null;
  if (!file.errors || file.errors.length === 0) return 'rejected without an error';
  for (const e of file.errors) {
    if (typeof e.path !== 'string') return 'an error without a path';
    if (typeof e.message !== 'string' || e.message.trim() === '')
      return 'an error without a message';
    if (STACK.test(e.message)) return `an internal error: ${e.message}`;
  }
  // At least one error says where: a field's path, a line, or the file as a whole.
  const placed = file.errors.some(
    (e) => e.path !== '' || e.line !== undefined || WHOLE_FILE.test(e.message),
  );
  return placed ? null : `no error says where: ${JSON.stringify(file.errors)}`;
}

let counter = 0;
async function writeGenerated(f: GeneratedFile): Promise<string> {
  const file = path.join(dir, `f${String(counter++).padStart(4, '0')}${f.ext}`);
  await writeFile(file, f.bytes);
  return file;
}

describe('dtss validate on generated files', () => {
  it('never crashes, and names where each rejected file is wrong (in-process)', async () => {
    const seen = { ok: 0, rejected: 0 };
    await fc.assert(
      fc.asyncProperty(files(), async (f) => {
        const file = await writeGenerated(f);
        const { stdout, code } = await validateInProcess(['--json', file]);
        const report = JSON.parse(stdout) as Report;
        expect(report.files.map((r) => r.file)).toEqual([file]);
        expect(code).toBe(report.ok ? 0 : 1);
        const [result] = report.files;
        if (result!.ok) seen.ok++;
        else seen.rejected++;
        const problem = reportProblem(result!);
        if (problem) {
          throw new Error(`${problem}\n${new TextDecoder().decode(f.bytes.slice(0, 400))}`);
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(seen.rejected).toBeGreaterThan(RUNS / 2);
    expect(seen.ok).toBeGreaterThan(0);
  }, 120_000);

  it('the real binary reports every file of a directory of them, without a stack trace', async () => {
    const sub = path.join(dir, 'batch');
    const sample = fc.sample(files(), { seed: SEED + 1, numRuns: 40 });
    await mkdir(sub);
    const written: string[] = [];
    for (const [i, f] of sample.entries()) {
      const file = path.join(sub, `g${String(i).padStart(2, '0')}${f.ext}`);
      await writeFile(file, f.bytes);
      written.push(file);
    }
    const json = await run([CLI_MAIN, 'validate', '--json', sub]);
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout) as Report;
    expect(report.files.map((r) => r.file).sort()).toEqual(written.sort());
    for (const file of report.files) expect(reportProblem(file), file.file).toBeNull();
    expect(json.code).toBe(report.ok ? 0 : 1);

    const text = await run([CLI_MAIN, 'validate', sub]);
    expect(text.stderr).toBe('');
    expect(text.stdout).not.toMatch(STACK);
    const lines = text.stdout.trimEnd().split('\n');
    for (const file of report.files) {
      const own = lines.filter((l) => l.startsWith(`${file.file}: `));
      if (file.ok) {
        expect(own, file.file).toEqual([expect.stringContaining(': ok — ')]);
        continue;
      }
      // One line per error, in order, saying where: `file: path: message` or
      // `file: line L, column C: message` (or `file: message` for the file as a whole).
      expect(own.length, file.file).toBe(file.errors!.length);
      file.errors!.forEach((e, i) => {
        const where =
          e.path !== '' ? `${e.path}: ` : e.line !== undefined ? `line ${e.line}, column ` : '';
        expect(own[i], file.file).toContain(`${file.file}: ${where}`);
      });
    }
    expect(lines.at(-1)).toMatch(/^40 files, (all valid|\d+ invalid)$/);
  }, 60_000);
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
