// Saving an attempt's whole log as a text file. A complete log is already in memory; otherwise it
// is read once with `follow=false` (every stored line, then `end`) rather than waiting for the
// live stream to catch up.
import { errorEventMessage, logStreamUrl, parseLogEvent, type WireLine } from './logEvents';
import { LogLines } from './logLines';
import { SseParser } from './sseParser';

/** `<task>-attempt-<n>.log`, with characters file systems dislike replaced. */
export function logFileName(task: string, attempt: number): string {
  const safe = task.replace(/[^\w.-]+/g, '_').replace(/^\.+/, '_') || 'task';
  return `${safe}-attempt-${attempt}.log`;
}

/** The file's text: escape sequences stripped (the file is read in editors), one line per line. */
export function logText(lines: readonly { plain: string }[]): string {
  if (lines.length === 0) return '';
  return `${lines.map((l) => l.plain).join('\n')}\n`;
}

/** Reads every stored line of one attempt through the stream with `follow=false`. */
export async function fetchAttemptLog(
  runId: string,
  task: string,
  attempt: number,
  opts: { signal?: AbortSignal; fetchImpl?: typeof fetch } = {},
): Promise<LogLines> {
  const store = new LogLines();
  await readStoredLog(runId, task, attempt, { ...opts, onLines: (lines) => store.append(lines) });
  return store;
}

/**
 * Reads an attempt's stored lines once (`follow=false`) with fetch, handing each event's lines to
 * `onLines`, and resolves at `end`. An ended attempt's log is read this way: Chromium's
 * EventSource spends about a second and a half parsing a 100,000-line log (15 MB of events) that
 * this parser reads in a fraction of that, and an ended log needs no reconnection.
 */
export async function readStoredLog(
  runId: string,
  task: string,
  attempt: number,
  {
    signal,
    fetchImpl = fetch,
    onLines,
  }: { signal?: AbortSignal; fetchImpl?: typeof fetch; onLines: (lines: WireLine[]) => void },
): Promise<void> {
  const response = await fetchImpl(
    logStreamUrl(runId, task, attempt, { follow: false, compact: true }),
    {
      signal,
      headers: { Accept: 'text/event-stream' },
      credentials: 'same-origin',
    },
  );
  if (!response.ok || !response.body) throw new Error(await problemMessage(response));
  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (const message of parser.push(text)) {
        if (message.event === 'log') {
          const data = parseLogEvent(message.data);
          if (data && data.attempt === attempt && (!data.task || data.task === task))
            onLines(data.lines);
        } else if (message.event === 'end') {
          return;
        } else if (message.event === 'error') {
          throw new Error(errorEventMessage(message.data));
        }
      }
      if (done) throw new Error('the log stream ended before the whole log was read');
    }
  } finally {
    // Stops the request once `end` arrived (or on error) instead of leaving it to the server.
    void reader.cancel().catch(() => {});
  }
}

/** The `{ error }` body of a refused request, or its status. */
export async function problemMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string' && body.error) return body.error;
  } catch {
    // Not JSON: the status says enough.
  }
  return `the server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
}

/** Hands `text` to the browser as a download. */
export function saveTextFile(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; some browsers still read the URL a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
