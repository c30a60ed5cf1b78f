// Assembles the `dtss` program from its commands. Each command lives in its own module under
// commands/; this file only wires them up.
import { Command } from 'commander';
import { COMMANDS } from './commands';

export function createProgram(): Command {
  const program = new Command('dtss')
    .description('DTSS: distributed task scheduling. Validate, run and inspect workflows.')
    .showHelpAfterError('(run "dtss --help" for usage)')
    .configureHelp({ sortSubcommands: true });
  for (const register of COMMANDS) register(program);
  return program;
}
