import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAttemptLog, type Pool } from '@dtss/db';
import { getExecutor } from '../src/executors';
import { LogShipper } from '../src/logs/logShipper';
import { makeTask } from './executors-helpers';
import { startLogsDb, type LogsDb } from './logs-fixture';

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

let db: LogsDb;
beforeAll(async () => {
  db = await startLogsDb('logshipper');
});
afterAll(async () => {
  await db?.close();
});

async function chunkRows(attemptId: string) {
  const { rows } = await db.pool.query<{
    seq: number;
    first_line: number;
    line_count: number;
    bytes: number;
    text: string;
  }>(
    'SELECT seq, first_line, line_count, bytes, text FROM log_chunks WHERE attempt_id = $1 ORDER BY seq',
    [attemptId],
  );
  return rows;
}

/** The test database behind a wait before every query. */
function delayedPool(wait: () => Promise<unknown>): Pool {
  return {
    query: async (...args: unknown[]) => {
      await wait();
      return (db.pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
    },
  } as unknown as Pool;
}

/** The test database, answering nothing until `release()`. */
function gatedPool(): { slow: Pool; release: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  return { slow: delayedPool(() => gate), release };
}

describe('LogShipper', () => {
  it('stores 100,000 lines complete and in order, in few chunks', async () => {
    const ids = await db.newAttempt();
    const shipper = new LogShipper(db.pool, ids);
    for (let i = 0; i < 100_000; i++)
      shipper.write(i % 10 === 0 ? 'stderr' : 'stdout', `line ${i}`);
    const stats = await shipper.close();
    expect(stats).toMatchObject({ lines: 100_000, truncated: false });

    const rows = await chunkRows(ids.attemptId);
    expect(rows.length).toBeLessThan(50);
    let next = 0;
    rows.forEach((r, i) => {
      expect(r.seq).toBe(i);
      expect(r.first_line).toBe(next);
      expect(r.bytes).toBe(Buffer.byteLength(r.text));
      next += r.line_count;
    });
    expect(stats.bytes).toBe(rows.reduce((n, r) => n + r.bytes, 0));

    const lines = await readAttemptLog(db.pool, ids.attemptId, { limit: 1_000 });
    expect(lines.map((l) => l.text)).toEqual(
      Array.from({ length: 100_000 }, (_, i) => `line ${i}`),
    );
    expect(lines.map((l) => l.line)).toEqual(lines.map((_, i) => i));
    expect(lines[0]!.stream).toBe('stderr');
    expect(lines[1]!.stream).toBe('stdout');
    expect(Date.parse(lines[0]!.time)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('flushes a trickle on the interval, without waiting for close', async () => {
    const ids = await db.newAttempt();
    const shipper = new LogShipper(db.pool, { ...ids, flushIntervalMs: 50 });
    shipper.write('stdout', 'early');
    const deadline = Date.now() + 5_000;
    while ((await chunkRows(ids.attemptId)).length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await chunkRows(ids.attemptId)).map((r) => r.text)).toEqual(['early']);
    await shipper.close();
  });

  it('masks secrets, ignores short ones, splits multi-line writes and strips NUL', async () => {
    const ids = await db.newAttempt();
    const shipper = new LogShipper(db.pool, {
      ...ids,
      secrets: ['hunter22', 'abc', '', 'hunter22-extended', 'line-one\nline-two'],
    });
    shipper.write('stdout', 'password=hunter22 and hunter22-extended; abc stays');
    shipper.write('system', 'error: first\nsecond line-two');
    shipper.write('stdout', 'nul\0here');
    await shipper.close();
    const texts = (await readAttemptLog(db.pool, ids.attemptId)).map((l) => l.text);
    expect(texts).toEqual([
      'password=*** and ***; abc stays',
      'error: first',
      'second ***',
      'nul\uFFFDhere',
    ]);
  });

  it('truncates at maxBytes with one marker holding the real counts', async () => {
    const ids = await db.newAttempt();
    const shipper = new LogShipper(db.pool, { ...ids, maxBytes: 10_000 });
    for (let i = 0; i < 5_000; i++) shipper.write('stdout', 'x'.repeat(99));
    const stats = await shipper.close();
    expect(stats.truncated).toBe(true);
    const lines = await readAttemptLog(db.pool, ids.attemptId);
    expect(lines).toHaveLength(101);
    expect(lines.at(-1)).toMatchObject({
      stream: 'system',
      text: '… log truncated: 4900 more lines (490000 bytes) not stored',
    });
    expect(stats.bytes).toBeLessThanOrEqual(10_000 + 100);
    expect(stats.lines).toBe(101);
  });

  it('drops and counts lines while the database lags, never holding more than its buffer', async () => {
    const ids = await db.newAttempt();
    const { slow, release } = gatedPool();
    const shipper = new LogShipper(slow, { ...ids, maxBufferedBytes: 150_000 });
    for (let i = 0; i < 10_000; i++) shipper.write('stdout', `${i}`.padEnd(99, '.'));
    release();
    await new Promise((r) => setTimeout(r, 50));
    shipper.write('stdout', 'after the backlog');
    const stats = await shipper.close();
    const texts = (await readAttemptLog(db.pool, ids.attemptId, { limit: 1_000 })).map(
      (l) => l.text,
    );
    expect(texts.length).toBeLessThan(1_100);
    expect(texts[0]!.startsWith('0.')).toBe(true);
    const marker = texts.find((t) => t.includes('dropped'))!;
    expect(marker).toMatch(/^… \d+ lines \(\d+ bytes\) dropped: the log database fell behind$/);
    const kept = texts.filter((t) => t.endsWith('.')).length;
    expect(kept + Number(marker.split(' ')[1])).toBe(10_000);
    expect(texts.at(-1)).toBe('after the backlog');
    expect(stats.lines).toBe(texts.length);
  });

  it('says it is full at a quarter of its buffer and has room again once the database caught up', async () => {
    const ids = await db.newAttempt();
    const { slow, release } = gatedPool();
    const shipper = new LogShipper(slow, { ...ids, maxBufferedBytes: 100_000 });
    expect(shipper.full()).toBe(false);
    let i = 0;
    while (!shipper.full()) shipper.write('stdout', `${i++}`.padEnd(99, '.'));
    // A quarter of 100,000 bytes, each line 100 bytes plus its overhead.
    expect(i).toBeGreaterThan(150);
    expect(i).toBeLessThan(250);
    let roomy = false;
    const room = shipper.room().then(() => (roomy = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(roomy).toBe(false);
    release();
    await room;
    expect(shipper.full()).toBe(false);
    await shipper.close();
    const texts = (await readAttemptLog(db.pool, ids.attemptId, { limit: 1_000 })).map(
      (l) => l.text,
    );
    expect(texts).toHaveLength(i);
  });

  it('keeps every line of a shell task that prints faster than a slow database stores', async () => {
    const ids = await db.newAttempt();
    // Every insert waits 30 ms: the 50,000 lines (~3.7 MB held) are all printed before the first
    // insert ends, four times what the buffer holds; a pipe delivers ≤ 64 KB at once.
    const slow = delayedPool(() => new Promise((r) => setTimeout(r, 30)));
    const shipper = new LogShipper(slow, { ...ids, maxBufferedBytes: 1_000_000, flushLines: 200 });
    const result = await getExecutor('shell').execute({
      task: makeTask({
        kind: 'shell',
        command: 'seq 1 50000 | awk \'{print "line " $1 " of a fast writer"}\'',
      }),
      env: {},
      workingDir: null,
      timeoutMs: null,
      signal: new AbortController().signal,
      log: (stream, line) => shipper.write(stream, line),
      logBackpressure: shipper,
    });
    const stats = await shipper.close();
    expect(result.outcome).toBe('succeeded');
    const lines = await readAttemptLog(db.pool, ids.attemptId, { limit: 60_000 });
    expect(lines.filter((l) => l.stream === 'system')).toEqual([]);
    expect(lines).toHaveLength(50_000);
    expect(lines[0]!.text).toBe('line 1 of a fast writer');
    expect(lines.at(-1)!.text).toBe('line 50000 of a fast writer');
    expect(lines.every((l, n) => l.text === `line ${n + 1} of a fast writer`)).toBe(true);
    expect(stats.lines).toBe(50_000);
  });

  it('keeps the lines still in the pipes when a task exits while the log store is behind', async () => {
    const ids = await db.newAttempt();
    const { slow, release } = gatedPool();
    // Full at 250 KB held: the task's 168 KB (456 KB held as lines) are more than that, and it
    // exits with the rest in its pipe and in the stream's buffer, which Node then hands over at once.
    const shipper = new LogShipper(slow, { ...ids, maxBufferedBytes: 1_000_000, flushLines: 200 });
    const mark = path.join(mkdtempSync(path.join(tmpdir(), 'dtss-exit-')), 'exited');
    const execution = getExecutor('shell').execute({
      task: makeTask({
        kind: 'shell',
        command: `seq 1 6000 | awk '{print "line " $1 " of a quick writer"}'; touch '${mark}'`,
      }),
      env: {},
      workingDir: null,
      timeoutMs: null,
      signal: new AbortController().signal,
      log: (stream, line) => shipper.write(stream, line),
      logBackpressure: shipper,
    });
    // Let the task exit before the store takes anything (if it has not within 10 s, the test
    // checks the same thing with less left in the pipes).
    for (let i = 0; i < 200 && !existsSync(mark); i++) await new Promise((r) => setTimeout(r, 50));
    release();
    const result = await execution;
    await shipper.close();
    expect(result.outcome).toBe('succeeded');
    const lines = await readAttemptLog(db.pool, ids.attemptId, { limit: 10_000 });
    expect(lines.filter((l) => l.stream === 'system')).toEqual([]);
    expect(lines.map((l) => l.text)).toEqual(
      Array.from({ length: 6000 }, (_, i) => `line ${i + 1} of a quick writer`),
    );
  });

  it('announces each chunk on dtss_logs to a listener', async () => {
    const ids = await db.newAttempt();
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notices: unknown[] = [];
    listener.on('notification', (n) => notices.push(JSON.parse(n.payload!)));
    await listener.query('LISTEN dtss_logs');
    try {
      const shipper = new LogShipper(db.pool, { ...ids, flushLines: 2 });
      for (const l of ['a', 'b', 'c']) shipper.write('stdout', l);
      await shipper.close();
      const deadline = Date.now() + 5_000;
      while (notices.length < 2 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(notices).toEqual([
        { ...ids, seq: 0 },
        { ...ids, seq: 1 },
      ]);
    } finally {
      await listener.end();
    }
  });

  it('caps a real flood from a shell task at maxBytes with modest memory', async () => {
    const ids = await db.newAttempt();
    const cap = 1024 * 1024;
    const shipper = new LogShipper(db.pool, { ...ids, maxBytes: cap });
    // Live memory is what the shipper holds; RSS also has garbage V8 has not collected yet.
    const gc = collectGarbage();
    gc();
    const before = process.memoryUsage();
    let rssPeak = before.rss;
    let livePeak = before.heapUsed;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
      gc();
      livePeak = Math.max(livePeak, process.memoryUsage().heapUsed);
    }, 200);
    const result = await getExecutor('shell').execute({
      task: makeTask({ kind: 'shell', command: 'yes | head -c 50000000; echo end' }),
      env: {},
      workingDir: null,
      timeoutMs: null,
      signal: new AbortController().signal,
      log: (stream, line) => shipper.write(stream, line),
    });
    const stats = await shipper.close();
    clearInterval(sampler);
    expect(result.outcome).toBe('succeeded');
    expect(stats.truncated).toBe(true);
    const { rows } = await db.pool.query<{ bytes: number }>(
      'SELECT coalesce(sum(octet_length(text)), 0)::int AS bytes FROM log_chunks WHERE attempt_id = $1',
      [ids.attemptId],
    );
    expect(rows[0]!.bytes).toBeLessThanOrEqual(cap + 200);
    expect(rows[0]!.bytes).toBeGreaterThan(cap / 2);
    const lines = await readAttemptLog(db.pool, ids.attemptId, { limit: 1_000 });
    const last = lines.at(-1)!;
    expect(last.text).toMatch(/^… log truncated: \d+ more lines \(\d+ bytes\) not stored$/);
    // Every line is accounted for: stored, dropped while the database lagged behind `yes`
    // (markers say how many), or counted by the truncation marker. 25,000,000 "y" and "end".
    const system = lines.filter((l) => l.stream === 'system');
    const lagged = system
      .filter((l) => l.text.includes('fell behind'))
      .reduce((n, l) => n + Number(l.text.split(' ')[1]), 0);
    const truncated = Number(last.text.split(' ')[3]);
    expect(lines.length - system.length + lagged + truncated).toBe(25_000_001);
    // The 50 MB (25 million strings, far more as JS values) never sat in memory.
    expect(livePeak - before.heapUsed).toBeLessThan(32 * 1024 * 1024);
    expect(rssPeak - before.rss).toBeLessThan(150 * 1024 * 1024);
  });
});
