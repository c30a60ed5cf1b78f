// Every `dtss` subcommand. A new command is a module in this folder exporting a register function,
// plus one line here.
import type { Command } from 'commander';
import { registerAlerts } from './alerts';
import { registerApply } from './apply';
import { registerCancel } from './cancel';
import { registerCron } from './cron';
import { registerEvents } from './events';
import { registerLogin } from './login';
import { registerLogs } from './logs';
import { registerLs } from './ls';
import { registerRerun } from './rerun';
import { registerRun } from './run';
import { registerSchedules } from './schedules';
import { registerStatus } from './status';
import { registerValidate } from './validate';

export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  registerValidate,
  registerLogin,
  registerApply,
  registerRun,
  registerStatus,
  registerLogs,
  registerCancel,
  registerRerun,
  registerLs,
  registerEvents,
  registerSchedules,
  registerCron,
  registerAlerts,
];
