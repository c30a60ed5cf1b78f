// vitest globalSetup: builds the command the CLI tests run (see cli-bin.ts).
import { buildCli } from '../scripts/build';
import { CLI_OUTDIR } from './cli-bin';

export default async function setup(): Promise<void> {
  await buildCli(CLI_OUTDIR);
}
