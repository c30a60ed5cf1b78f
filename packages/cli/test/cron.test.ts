// Runs the real `dtss cron next` (compiled, see cli-bin.ts); it needs no database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI_MAIN } from './cli-bin';

const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function dtss(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    // No DATABASE_URL: the command must work offline.
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, [CLI_MAIN, ...args], { cwd: cliDir, stdio: 'pipe', env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

describe('dtss cron next', () => {
  it('prints the next fires as a JSON array of UTC instants, DST gap included', async () => {
    const run = await dtss([
      'cron',
      'next',
      '30 2 * * *',
      '--tz',
      'America/New_York',
      '--after',
      '2026-03-07T12:00:00Z',
      '--count',
      '3',
      '--json',
    ]);
    expect(run).toEqual({
      code: 0,
      stdout: '["2026-03-08T07:00:00Z","2026-03-09T06:30:00Z","2026-03-10T06:30:00Z"]\n',
      stderr: '',
    });
  });

  it('reads the expression in UTC by default and accepts an --after with an offset', async () => {
    const run = await dtss([
      'cron',
      'next',
      '0 12 * * *',
      '--after',
      '2026-01-01T13:00:00+02:00',
      '--count',
      '2',
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['2026-01-01T12:00:00Z', '2026-01-02T12:00:00Z']);
  });

  it('lists 5 fires after now by default', async () => {
    const before = Date.now();
    const run = await dtss(['cron', 'next', '* * * * * *', '--json']);
    expect(run.code).toBe(0);
    const fires: string[] = JSON.parse(run.stdout);
    expect(fires).toHaveLength(5);
    for (const fire of fires) expect(fire).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Date.parse(fires[0]!)).toBeGreaterThan(before - 1000);
    expect(Date.parse(fires[4]!) - Date.parse(fires[0]!)).toBe(4000);
  });

  it('shows UTC and local time with the zone and offset without --json', async () => {
    const run = await dtss([
      'cron',
      'next',
      '*/30 * * * *',
      '--tz',
      'Europe/London',
      '--after',
      '2026-10-25T00:40:00Z',
      '--count',
      '2',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'next 2 fires of "*/30 * * * *" in Europe/London after 2026-10-25T00:40:00Z:',
        '  2026-10-25T01:00:00Z  Sun 2026-10-25 01:00:00 GMT (UTC+00:00)',
        '  2026-10-25T01:30:00Z  Sun 2026-10-25 01:30:00 GMT (UTC+00:00)',
        '',
      ].join('\n'),
    );
    const gap = await dtss([
      'cron',
      'next',
      '30 1 * * *',
      '--tz',
      'Europe/London',
      '--after',
      '2026-03-28T12:00:00Z',
      '--count',
      '1',
    ]);
    // The abbreviation comes from ICU's locale data ("BST" or "GMT+1"); the offset is ours.
    expect(gap.stdout).toMatch(
      /\n {2}2026-03-29T01:00:00Z {2}Sun 2026-03-29 02:00:00 \S+ \(UTC\+01:00\) {2}\(due time skipped by a DST change: fired at its end\)\n$/,
    );
  });

  it.each([
    [
      ['61 * * * *'],
      'error: invalid cron expression "61 * * * *": invalid minute field "61" (allowed 0-59)',
    ],
    [['0 0 * * 8'], 'error: invalid cron expression "0 0 * * 8": invalid day-of-week field "8"'],
    [['0 0 30 2 *'], 'never fires: day 30 does not exist in February'],
    [
      ['@daily', '--tz', 'Europe/Berln'],
      'error: invalid --tz: unknown time zone "Europe/Berln" (did you mean "Europe/Berlin"?)',
    ],
    [
      ['@daily', '--after', 'yesterday'],
      'error: invalid --after "yesterday": expected an ISO-8601 instant',
    ],
    [['@daily', '--after', '2026-03-08T07:00:00'], 'error: invalid --after "2026-03-08T07:00:00"'],
    [
      ['@daily', '--after', '2026-02-30T00:00:00Z'],
      'error: invalid --after "2026-02-30T00:00:00Z"',
    ],
    [
      ['@daily', '--count', '0'],
      'error: invalid --count "0": expected a whole number from 1 to 1000',
    ],
    [['@daily', '--count', '1001'], 'error: invalid --count "1001"'],
    [['@daily', '--count', '2.5'], 'error: invalid --count "2.5"'],
  ])('rejects %j with a clear message and exit 1', async (args, message) => {
    const run = await dtss(['cron', 'next', ...args, '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
  });
});
