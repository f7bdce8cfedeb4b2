/**
 * Consent to an active probe's plan, verified here and nowhere else: the guardrails (every run),
 * the API's active.start and checks.run, the engine's check run and the CLI all call these.
 * A consent names exactly what the plan will send where; what must be typed back comes from the
 * typed-confirmation rule (typed-confirmation.ts): always in a dialog, per flags in the CLI.
 */
import type { ActivePlan, Consent } from '../../../shared/schemas/active';
import { confirmationMatches, type TypedConfirmation } from '../../../shared/schemas/confirmation';
import { InputError } from '../util/errors';
import { flagConfirmationFor, typedConfirmationFor } from './typed-confirmation';

export class ConsentError extends InputError {
  override readonly code = 'consent_required';
}

type PlanFacts = Pick<ActivePlan, 'kind' | 'host' | 'endpoint' | 'requestCount' | 'environment' | 'production' | 'description'>;

const typedFor = (consent: Consent, what: TypedConfirmation['what']) => (what === 'environment' ? consent.typedEnvironment : consent.typedHost);

function productionRefusal(plan: PlanFacts, flag: boolean): string {
  return `Refused: "${plan.environment}" is a production environment; type its name exactly to confirm${flag ? ` (--confirm-environment ${plan.environment})` : ''}.`;
}

/** Consent must name exactly what the plan will do; production needs its name typed back; a host typed back must be the target's. */
export function verifyConsent(plan: PlanFacts, consent: Consent | null | undefined): asserts consent is Consent {
  if (!consent) throw new ConsentError(`Refused: no consent given. ${plan.description}`);
  const mismatches: string[] = [];
  if (consent.host !== plan.host) mismatches.push(`host "${consent.host}" ≠ "${plan.host}"`);
  if (consent.endpoint !== plan.endpoint) mismatches.push(`endpoint "${consent.endpoint}" ≠ "${plan.endpoint}"`);
  if (consent.requestCount !== plan.requestCount) mismatches.push(`request count ${consent.requestCount} ≠ ${plan.requestCount}`);
  if (consent.environment !== plan.environment) mismatches.push(`environment "${consent.environment}" ≠ "${plan.environment}"`);
  if (mismatches.length) throw new ConsentError(`Refused: the consent does not match the plan (${mismatches.join('; ')}).`);
  if (plan.production && !confirmationMatches({ what: 'environment', value: plan.environment }, consent.typedEnvironment)) throw new ConsentError(productionRefusal(plan, false));
  if (consent.typedHost !== undefined && !confirmationMatches({ what: 'host', value: plan.host }, consent.typedHost)) {
    throw new ConsentError(`Refused: the typed host "${consent.typedHost}" is not the target host "${plan.host}".`);
  }
}

/** A dialog's consent: always something typed back (typedConfirmationFor), so a stray click never fires a burst. */
export function verifyTypedConsent(plan: PlanFacts, consent: Consent | null | undefined): asserts consent is Consent {
  verifyConsent(plan, consent);
  const expected = typedConfirmationFor(plan);
  if (!confirmationMatches(expected, typedFor(consent, expected.what))) {
    throw new ConsentError(`Refused: type the target host "${plan.host}" to confirm sending ${plan.requestCount} ${plan.kind === 'sse' ? 'streams' : 'requests'}.`);
  }
}

export interface ConsentFlags {
  /** --confirm-environment */
  confirmEnvironment?: string;
  /** --confirm-host */
  confirmHost?: string;
  /** An environment was named (--environment, or the profile's environment): else a non-loopback host is typed back. */
  environmentNamed: boolean;
}

/** What the flags still need beyond --confirm / --allow-active (flagConfirmationFor), as a hint; null when nothing. */
export function flagsNeeded(plan: PlanFacts, environmentNamed: boolean): string | null {
  const rule = flagConfirmationFor({ environment: plan.environment, host: plan.host, production: plan.production, environmentNamed });
  if (!rule) return null;
  return rule.what === 'environment' ? `--confirm-environment ${plan.environment}, since this is production` : `--confirm-host ${plan.host}, or --environment <name>`;
}

/** The consent a command line gives (its --confirm or --allow-active flag), after the flags' typed confirmation is checked. */
export function consentFromFlags(plan: PlanFacts, flags: ConsentFlags): Consent {
  const rule = flagConfirmationFor({ environment: plan.environment, host: plan.host, production: plan.production, environmentNamed: flags.environmentNamed });
  if (rule?.what === 'environment' && !confirmationMatches(rule, flags.confirmEnvironment)) throw new ConsentError(`${productionRefusal(plan, true)} ${plan.description}`);
  if (rule?.what === 'host' && !confirmationMatches(rule, flags.confirmHost)) {
    const got = flags.confirmHost === undefined ? 'no --confirm-host was given' : `--confirm-host "${flags.confirmHost}" does not match`;
    throw new ConsentError(`${plan.description}\nRefused, nothing was sent: ${plan.host} is not this machine and no --environment was given, so type the URL's host back with --confirm-host ${plan.host} (${got}), or name the environment with --environment <name>.`);
  }
  return { host: plan.host, endpoint: plan.endpoint, requestCount: plan.requestCount, environment: plan.environment, typedEnvironment: flags.confirmEnvironment, typedHost: rule?.what === 'host' ? flags.confirmHost : undefined };
}
