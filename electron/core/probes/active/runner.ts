/**
 * The active probes' runners in a check run: the profile's probed rate limits (one burst each,
 * one after the other) and the SSE hold, each only with consent (consent/verify-consent.ts).
 */
import type { ActivePlan, Consent, RateLimitObservation, SseObservation } from '../../../../shared/schemas/active';
import { writeAudit } from '../../audit/audit-log';
import { consentFromFlags, ConsentError, verifyTypedConsent } from '../../consent/verify-consent';
import { bearerLabel, resolveBearer, resolveUrl } from '../../profile/secrets';
import type { RateLimitRuns } from '../outputs';
import { needsTarget, type ProbeRunContext, type ProbeRunner } from '../runner';
import { manualTrigger } from './guardrails';
import { planRateLimit, runRateLimitProbe, type RateLimitRequest } from './ratelimit';
import { planSse, runSseProbe, type SseRequest } from './sse-hold';

/**
 * The consent an active probe of a check run goes ahead with. From the UI (the Overview's
 * dialog): the typed consent naming exactly this probe's host, endpoint and count, checked
 * with the same verifier as the active pages'. From the CLI: --allow-active is the consent for
 * what the plan says, and a production environment (by kind or by name) also needs its name
 * typed back (--confirm-environment NAME). A refusal is audited; nothing is sent.
 */
function consentFor(plan: ActivePlan, target: string, ctx: ProbeRunContext): Consent {
  const refuse = (message: string): never => {
    writeAudit({ action: plan.kind === 'ratelimit' ? 'ratelimit.run' : 'sse.run', target, environment: plan.environment, outcome: 'refused', details: { reason: message, plannedRequests: plan.requestCount, source: ctx.activeSource } });
    throw new ConsentError(message);
  };
  if (ctx.activeSource === 'ui') {
    const given = ctx.consents?.find((c) => c.host === plan.host && c.endpoint === plan.endpoint && c.requestCount === plan.requestCount);
    if (!given) return refuse(`Refused: no consent names ${plan.endpoint} on ${plan.host} (${plan.requestCount}). ${plan.description}`);
    try {
      verifyTypedConsent(plan, given);
    } catch (err) {
      return refuse((err as Error).message);
    }
    return given;
  }
  try {
    // The profile names the environment, so only production needs something typed (--confirm-environment).
    return consentFromFlags(plan, { confirmEnvironment: ctx.confirmEnvironment, environmentNamed: true });
  } catch (err) {
    return refuse((err as Error).message);
  }
}

type PlanContext = Pick<ProbeRunContext, 'loaded' | 'environment' | 'env'>;

const apiUrl = (ctx: Pick<ProbeRunContext, 'environment'>, path: string) => new URL(path.replace(/\{[^}]+\}/g, '1'), ctx.environment.targets.api!.baseUrl).toString();

/** The profile's probed rate limits (GET only), as the bursts a run sends, in run order. */
export function rateLimitRequests(ctx: Pick<ProbeRunContext, 'loaded' | 'environment'>): { id: string; bearerSecret: string | null; req: RateLimitRequest }[] {
  const limits = (ctx.loaded.profile.expectations.http?.rateLimits ?? []).filter((r) => r.probe && r.method === 'GET');
  return limits.map((limit) => {
    const bearerSecret = typeof limit.identity === 'object' ? limit.identity.bearer.secret : null;
    return {
      id: limit.id,
      bearerSecret,
      req: { url: apiUrl(ctx, limit.path), limit: limit.limit, windowSeconds: limit.windowSeconds, xffCheck: limit.tryForwardedForBypass, checkReset: false, environment: ctx.environment.name, environmentKind: ctx.environment.kind, identityLabel: bearerSecret ? bearerLabel(bearerSecret) : undefined },
    };
  });
}

/** Every probed rate limit of the profile, one after the other (bursts must not overlap). */
export async function runRateLimitProbes(ctx: ProbeRunContext): Promise<RateLimitRuns> {
  const runs: RateLimitRuns = {};
  for (const { id, bearerSecret, req: planned } of rateLimitRequests(ctx)) {
    // A bearer identity is resolved from the environment's secrets here, held only in the request headers.
    const identity = bearerSecret ? await resolveBearer(bearerSecret, ctx.environment, ctx.env) : null;
    const req: RateLimitRequest = { ...planned, headers: identity?.headers };
    const consent = consentFor(planRateLimit(req), req.url, ctx);
    runs[id] = (await runRateLimitProbe(req, { trigger: manualTrigger(ctx.activeSource), consent, signal: ctx.signal, judge: ctx.judges?.ratelimit })) as RateLimitObservation;
  }
  return runs;
}

/** The SSE hold a run performs (resolves the database URL it samples on). */
export async function sseRequest(ctx: PlanContext): Promise<SseRequest> {
  const sse = ctx.loaded.profile.expectations.http?.sse;
  if (!sse) throw new Error('the profile has no expectations.http.sse (path, streams, holdSeconds, maxDbConnections)');
  if (!ctx.environment.targets.postgres) throw new Error(`environment "${ctx.environment.name}" has no postgres target to watch the sessions on`);
  const pgUrl = await resolveUrl(ctx.environment.targets.postgres.url, ctx.environment, ctx.env);
  return {
    url: apiUrl(ctx, sse.path),
    pgUrl,
    applicationName: sse.applicationName ?? null,
    clientAddress: sse.clientAddress ?? null,
    streams: sse.streams,
    seconds: sse.holdSeconds,
    environment: ctx.environment.name,
    environmentKind: ctx.environment.kind,
    settleTimeoutMs: 5000,
  };
}

export async function runSseHoldProbe(ctx: ProbeRunContext): Promise<SseObservation> {
  const req = await sseRequest(ctx);
  const consent = consentFor(planSse(req), req.url, ctx);
  const maxDbConnections = ctx.loaded.profile.expectations.http?.sse?.maxDbConnections ?? null;
  const judge = ctx.judges ? (obs: SseObservation) => ctx.judges!.sse(obs, maxDbConnections) : undefined;
  return runSseProbe(req, { trigger: manualTrigger(ctx.activeSource), consent, signal: ctx.signal, judge });
}

export const ratelimitRunner: ProbeRunner<'ratelimit'> = { name: 'ratelimit', active: true, timeoutMs: 30_000, notApplicable: needsTarget('api'), run: runRateLimitProbes };

export const sseRunner: ProbeRunner<'sse'> = {
  name: 'sse',
  targets: ['postgres'],
  active: true,
  timeoutMs: 45_000,
  // Past the guard's own deadline (hold + 5 s settle + 15 s), so the guard stops it first.
  timeoutFor: (ctx) => 25_000 + (ctx.loaded.profile.expectations.http?.sse?.holdSeconds ?? 5) * 1000,
  notApplicable: needsTarget('api'),
  run: runSseHoldProbe,
};
