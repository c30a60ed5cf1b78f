/**
 * `npm run bench -- throughput`: only the throughput scenario, graphile baseline then DTSS, on one
 * server in one run (about a minute). A quick loop while working on the hot path; writes
 * bench/results/throughput-latest.json. The full `npm run bench` is what docs/BENCHMARKS.md quotes.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BenchConfig } from './config';
import { createDatabase, type BenchServer } from './database';
import { runDtssScenarios } from './dtssScenarios';
import { runGraphileBaseline } from './graphileBaseline';
import { cpuPerTask } from './report';
import { median } from './stats';

export async function runThroughputOnly(
  server: BenchServer,
  config: BenchConfig,
  log: (line: string) => void,
  latestFile: string,
): Promise<void> {
  const only = { ...config, throughputOnly: true };
  const graphile = await runGraphileBaseline(
    await createDatabase(server, config.graphileDb),
    only,
    log,
  );
  const dtss = await runDtssScenarios(await createDatabase(server, config.dtssDb), only, log);
  const g = median(graphile.throughput.map((t) => t.tps));
  const d = median(dtss.throughput.map((t) => t.tps));
  const result = {
    throughput_tps: Math.round(d),
    graphile_throughput_tps: Math.round(g),
    ratio: Math.round((d / g) * 1000) / 1000,
    throughput_50x100_tps: Math.round(dtss.throughputManyRuns.tps),
    runs: {
      dtss: dtss.throughput.map((t) => t.tps),
      graphile: graphile.throughput.map((t) => t.tps),
    },
    cpuPerTask: { dtss: cpuPerTask(dtss.throughput), graphile: cpuPerTask(graphile.throughput) },
    date: new Date().toISOString(),
  };
  const file = path.join(path.dirname(latestFile), 'throughput-latest.json');
  await writeFile(`${file}.tmp`, `${JSON.stringify(result, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  console.log(
    `\nthroughput: DTSS ${result.throughput_tps} tasks/s vs graphile ${result.graphile_throughput_tps} jobs/s → ${result.ratio}× (target ≥ 0.5×)`,
  );
  console.log(`throughput over 50 runs × 100: DTSS ${result.throughput_50x100_tps} tasks/s`);
  console.log(`CPU per task (ms): ${JSON.stringify(result.cpuPerTask)}`);
  console.log(`written to ${path.relative(process.cwd(), file)}`);
}
