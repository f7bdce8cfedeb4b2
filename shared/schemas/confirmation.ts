/**
 * A typed confirmation: what a person types back before Preflight writes to, signals or sends
 * load to a target. Which one is asked for is decided in core (electron/core/consent/
 * typed-confirmation.ts) and crosses the contract in a plan; every face compares and words it
 * with these two functions.
 */
import { z } from 'zod';

export const TypedConfirmation = z.object({ what: z.enum(['environment', 'host']), value: z.string() });
export type TypedConfirmation = z.infer<typeof TypedConfirmation>;

/** Surrounding blanks (a paste) are forgiven; case and everything else must match exactly. */
export function confirmationMatches(expected: TypedConfirmation, typed: string | null | undefined): boolean {
  return typeof typed === 'string' && typed.trim() === expected.value;
}

/** "the production environment's name "production"" / "the host "db.example.com:5432"". */
export function describeConfirmation(expected: TypedConfirmation): string {
  return expected.what === 'environment' ? `the production environment's name "${expected.value}"` : `the host "${expected.value}"`;
}
