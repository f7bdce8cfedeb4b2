/** The CLI's public exit codes (README documents them) and the one place errors map to them. */
import { CommanderError } from 'commander';
import { InputError, UnreachableError } from '../core/util/errors';

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
    /** The stable code of the `--json` error document; by default derived from the exit code. */
    readonly code: string = CODE_BY_EXIT[exitCode] ?? 'failed',
  ) {
    super(message);
  }
}

const CODE_BY_EXIT: Record<number, string> = { 1: 'check_failed', 2: 'usage', 3: 'target_unreachable' };

export interface Failure {
  exitCode: number;
  /** Stable, for scripts: `usage`, `invalid_profile`, `target_unreachable`, … */
  code: string;
  /** One sentence (or a file:line list) for the person; not yet masked. */
  message: string;
}

/**
 * Every error any command lets escape becomes one exit code here: usage and config errors
 * (commander's, and every core InputError: profile, folder, URL, port, cap, consent) exit 2,
 * an unreachable target exits 3, anything else is an unexpected failure (1).
 */
export function failureOf(err: unknown): Failure {
  if (err instanceof CliError) return { exitCode: err.exitCode, code: err.code, message: err.message };
  if (err instanceof CommanderError) return { exitCode: EXIT.usage, code: 'usage', message: err.message.replace(/^error: /, '') };
  if (err instanceof InputError) return { exitCode: EXIT.usage, code: err.code, message: err.message };
  if (err instanceof UnreachableError) return { exitCode: EXIT.unreachable, code: err.code, message: `Target unreachable: ${err.message}` };
  return { exitCode: EXIT.checkFailed, code: 'unexpected', message: `unexpected failure: ${err instanceof Error ? err.message : String(err)}` };
}
