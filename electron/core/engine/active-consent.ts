/**
 * Consent for the active probes of a check run started from the UI (DESIGN.md §3): the plan
 * says exactly what a run with allowActive would send where (host, endpoint, request count per
 * active probe), the person confirms it in a dialog, and the run checks that consent before
 * anything starts, with the same verifier as the Rate limit and SSE pages. A refusal is
 * audited and sends nothing.
 */
import type { ActivePlan, Consent } from '../../../shared/schemas/active';
import { writeAudit } from '../audit/audit-log';
import type { ActiveProbeName, ProbeName } from '../probes/outputs';
import { isProductionEnvironment } from '../consent/production';
import { ConsentError, verifyConsent, verifyTypedConsent } from '../consent/verify-consent';
import { assertWithinCaps, resolveCaps } from '../probes/active/guardrails';
import { planRateLimit } from '../probes/active/ratelimit';
import { planSse } from '../probes/active/sse-hold';
import type { LoadedProfile } from '../profile/load';
import { scrubMessage } from '../util/redact';
import { rateLimitRequests, sseRequest } from '../probes/active/runner';
import { PROBES } from '../probes/registry';
import { findEnvironment, selectChecks } from './run-checks';

export interface PlannedActiveProbe {
  probe: ActiveProbeName;
  /** The profile's rate-limit id, or 'sse'. */
  id: string;
  plan: ActivePlan;
  /** The URL the traffic goes to (masked in the audit log). */
  target: string;
}

export interface ActiveRunPlan {
  environment: string;
  production: boolean;
  /** In run order; checks.run wants one consent per entry, in this order. */
  probes: PlannedActiveProbe[];
  /** Active probes of the selection that will send nothing, and why. */
  notSent: string[];
}

const message = (err: unknown) => scrubMessage(err instanceof Error ? err.message : String(err));

/**
 * What `runChecks({ allowActive: true })` would send for this selection, built from the same
 * requests the probes send. Sends nothing (the SSE plan only resolves the database URL).
 */
export async function planActiveProbes(loaded: LoadedProfile, environmentName: string, only: string[] | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ActiveRunPlan> {
  const environment = findEnvironment(loaded, environmentName);
  const ctx = { loaded, environment, env };
  const checks = selectChecks(loaded, environment, only, PROBES);
  const active = [...new Set(checks.flatMap((c) => c.needs))].filter((name): name is ProbeName => PROBES[name].active);
  const probes: PlannedActiveProbe[] = [];
  const notSent: string[] = [];
  for (const name of active) {
    const reason = PROBES[name].notApplicable(ctx);
    if (reason) {
      notSent.push(`${name}: ${reason}`);
      continue;
    }
    if (name === 'ratelimit') {
      const requests = rateLimitRequests(ctx);
      if (!requests.length) notSent.push('ratelimit: the profile probes no GET rate limit (expectations.http.rateLimits with probe: true)');
      for (const { id, req } of requests) {
        try {
          probes.push({ probe: 'ratelimit', id, plan: planRateLimit(req), target: req.url });
        } catch (err) {
          notSent.push(`ratelimit ${id}: ${message(err)}`);
        }
      }
    } else if (name === 'sse') {
      try {
        const req = await sseRequest(ctx);
        probes.push({ probe: 'sse', id: 'sse', plan: planSse(req), target: req.url });
      } catch (err) {
        notSent.push(`sse: ${message(err)}`);
      }
    }
  }
  const production = isProductionEnvironment(environment);
  return { environment: environment.name, production, probes, notSent };
}

/**
 * Every planned probe needs its own typed consent (same order), verified like active.start's;
 * a run over the caps is refused too. On refusal each planned probe is audited as refused and
 * a ConsentError (or CapExceededError) is thrown before anything is sent.
 */
export function requireActiveConsent(planned: ActiveRunPlan, consents: Consent[] | undefined, source: string): void {
  try {
    // More consents than probes: the person read a different plan (the profile changed since).
    if (planned.probes.length && (consents?.length ?? 0) > planned.probes.length) {
      throw new ConsentError(`Refused: the consent names ${consents!.length} active probes; this run would start ${planned.probes.length}. Fetch the plan again.`);
    }
    planned.probes.forEach((p, i) => {
      const consent = consents?.[i];
      if (!consent) verifyConsent(p.plan, null);
      else verifyTypedConsent(p.plan, consent);
      assertWithinCaps(p.plan, resolveCaps());
    });
  } catch (err) {
    for (const p of planned.probes) {
      writeAudit({ action: p.plan.kind === 'ratelimit' ? 'ratelimit.run' : 'sse.run', target: p.target, environment: p.plan.environment, outcome: 'refused', details: { reason: (err as Error).message, plannedRequests: p.plan.requestCount, source, via: 'checks.run' } });
    }
    throw err;
  }
}
