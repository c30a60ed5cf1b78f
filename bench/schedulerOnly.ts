/**
 * `npm run bench -- scheduler`: only the scheduler benchmark, written to
 * bench/results/scheduler-latest.json (a full run puts the same figures under `scheduler` in
 * latest.json).
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchServer } from './database';
import { formatSchedulerTable, runSchedulerBench } from './scheduler';

export async function runSchedulerOnly(
  server: BenchServer,
  log: (line: string) => void,
  latestFile: string,
): Promise<void> {
  const scheduler = await runSchedulerBench(server, log);
  const file = path.join(path.dirname(latestFile), 'scheduler-latest.json');
  const result = { ...scheduler, date: new Date().toISOString() };
  await writeFile(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  console.log(`\n${formatSchedulerTable(scheduler)}\n`);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}
