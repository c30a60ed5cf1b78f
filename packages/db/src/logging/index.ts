/**
 * `@dtss/db/logging`: the structured logs of every DTSS process (pino). JSON lines on stdout with
 * the process kind and pid, and the run/task/attempt/worker ids where they apply (child loggers,
 * or bindings at the call). Level from `DTSS_LOG_LEVEL` (trace, debug, info, warn, error, fatal;
 * default info). With `DTSS_LOG_PRETTY=1` (set by `npm start` when its own output is a terminal)
 * one readable line per entry instead. Writes are synchronous: a process that logs and exits
 * loses no line.
 */
import { Writable } from 'node:stream';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };
export type LoggingProcess = 'worker' | 'scheduler' | 'web';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

export function createLogger(
  kind: LoggingProcess,
  bindings: Record<string, string> = {},
  env: NodeJS.ProcessEnv = process.env,
): Logger {
  const wanted = env.DTSS_LOG_LEVEL?.toLowerCase();
  const level = wanted && LEVELS.has(wanted) ? wanted : 'info';
  return pino(
    {
      level,
      base: { process: kind, pid: process.pid, ...bindings },
      timestamp: pino.stdTimeFunctions.isoTime,
      // `"level":"info"` rather than pino's number: readable without a lookup table.
      formatters: { level: (label) => ({ level: label }) },
    },
    env.DTSS_LOG_PRETTY === '1' ? prettyStream() : pino.destination({ dest: 1, sync: true }),
  );
}

const OMIT = new Set(['level', 'time', 'msg', 'pid', 'process', 'hostname']);

/** `12:00:01.234 INFO  message key=value …`, for people reading `npm start`. */
export function prettyLine(entry: Record<string, unknown>): string {
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
  const level = String(entry.level).toUpperCase().padEnd(5);
  const extras = Object.entries(entry)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return [time, level, String(entry.msg ?? ''), ...extras].join(' ');
}

function prettyStream(): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          process.stdout.write(`${prettyLine(JSON.parse(line) as Record<string, unknown>)}\n`);
        } catch {
          process.stdout.write(`${line}\n`);
        }
      }
      done();
    },
  });
}
