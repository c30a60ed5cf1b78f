// Failures the CLI reports in plain words: the message goes to stderr and the exit status is 1.
// Anything else that escapes a command is unexpected and is reported with its stack.

/** A failure the user can act on (bad input, unknown name, unreachable database). */
export class CliError extends Error {
  constructor(
    message: string,
    /** Extra lines printed under the message, indented. */
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Prints `error` to stderr and sets the exit status to 1. */
export function reportFailure(error: unknown): void {
  if (error instanceof CliError) {
    const lines = [`error: ${error.message}`, ...error.details.map((d) => `  ${d}`)];
    process.stderr.write(lines.map((line) => `${line}\n`).join(''));
  } else {
    process.stderr.write(`unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
  }
  process.exitCode = 1;
}
