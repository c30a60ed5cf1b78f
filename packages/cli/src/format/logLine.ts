// Log lines as the CLI prints them: `extract | text` (`extract#2 | …` for a later attempt), or one
// JSON object per line with --json.
import type { LogChunkEvent } from '@dtss/client';

export interface LogLineFormat {
  json: boolean;
  /** Print the task in front of each line (off when the user asked for one task). */
  prefix: boolean;
  runId: string;
}

export function formatLogChunk(chunk: LogChunkEvent, f: LogLineFormat): string {
  return chunk.lines
    .map((l) => {
      if (f.json) {
        return `${JSON.stringify({
          type: 'log',
          runId: f.runId,
          task: chunk.task,
          attempt: chunk.attempt,
          line: l.line,
          stream: l.stream,
          time: l.time,
          text: l.text,
        })}\n`;
      }
      if (!f.prefix) return `${l.text}\n`;
      const who = chunk.attempt > 1 ? `${chunk.task}#${chunk.attempt}` : chunk.task;
      return `${who} | ${l.text}\n`;
    })
    .join('');
}
