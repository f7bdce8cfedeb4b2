/**
 * The two kinds of failure every face reports the same way, whatever module raised them.
 * The CLI maps them in one place (electron/cli/exit-codes.ts): an InputError exits 2, an
 * UnreachableError exits 3; the bridge passes `code` on as the contract error code.
 */

/**
 * What the person gave Preflight is wrong or refused — a flag, a profile, a folder, a URL, a
 * port, a cap: fixing the input fixes it, retrying as is never will. The message says what to change.
 */
export class InputError extends Error {
  readonly code: string = 'bad_input';
}

/** The target could not be reached or refused the connection; the input may be fine. */
export class UnreachableError extends Error {
  readonly code: string = 'target_unreachable';
}
