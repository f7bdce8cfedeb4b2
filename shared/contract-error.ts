/**
 * The error a handler throws to answer a call with a stable code (`bad_input`, `not_found`, …).
 * Its own module so code outside the dispatcher (probes, the CLI) can throw it without loading
 * the whole contract and its schemas.
 */
export class ContractError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
