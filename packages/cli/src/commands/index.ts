// Every `dtss` subcommand. A new command is a module in this folder exporting a register function,
// plus one line here.
import type { Command } from 'commander';
import { registerRun } from './run';
import { registerStatus } from './status';
import { registerValidate } from './validate';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerValidate,
  registerRun,
  registerStatus,
];
