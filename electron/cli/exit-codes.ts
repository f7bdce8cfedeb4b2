/** The CLI's public exit codes (README documents them). */
export const EXIT = {
  ok: 0,
  checkFailed: 1,
  usage: 2,
  unreachable: 3,
} as const;

/** A failure with a sentence for the person and the exit code for the machine. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
