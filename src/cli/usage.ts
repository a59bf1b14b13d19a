// Errors the CLI reports as one plain line (no stack), with the exit code to use.
export class CliUsageError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}
