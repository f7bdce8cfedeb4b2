/**
 * How a check run drives the probes of the Redis, HTTP, index/migration and active-probe
 * features: targets and secrets from the environment, expectations from the profile, one
 * connection per target, everything closed when the run's signal aborts.
 */
import type { Consent, RateLimitObservation, SseObservation } from '../../../shared/schemas/active';
import type { HttpObservation } from '../../../shared/schemas/http';
import type { RedisSample } from '../../../shared/schemas/redis';
import type { PostgresCatalogObservation, RateLimitRuns } from '../probes/outputs';
import { DEFAULT_SSE_THRESHOLDS, rateLimitReport, sseReport } from '../checks/active';
import { httpExpectationsFor } from '../checks/profile-http';
import { writeAudit } from '../audit/audit-log';
import { loadMigrations, readMigrationStatus } from '../migrations';
import { consentFromFlags, ConsentError, verifyTypedConsent } from '../consent/verify-consent';
import { manualTrigger } from '../probes/active/guardrails';
import { planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../probes/active/ratelimit';
import { planSse, runSseProbe, type SseRequest } from '../probes/active/sse-hold';
import { runPassiveProbes } from '../probes/http';
import { ProbeClient } from '../probes/postgres';
import { readIndexCatalog } from '../probes/postgres/indexes';
import { RateTracker, RedisProbeClient, sampleRedis } from '../probes/redis';
import { bearerLabel, resolveBearer, resolveUrl } from '../profile/secrets';
import type { ActivePlan } from '../../../shared/schemas/active';
import type { ProbeRunContext } from './probes';
import { profilePath } from './paths';

function abortable(signal: AbortSignal, close: () => unknown): () => void {
  const onAbort = () => void close();
  signal.addEventListener('abort', onAbort, { once: true });
  return () => signal.removeEventListener('abort', onAbort);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Two INFO samples `windowSeconds` apart: rates over a real window, never lifetime ratios. */
export async function runRedisProbe(ctx: ProbeRunContext): Promise<RedisSample> {
  const url = await resolveUrl(ctx.environment.targets.redis!.url, ctx.environment, ctx.env);
  const client = new RedisProbeClient(url, { reconnect: false, connectTimeoutMs: 2000, commandTimeoutMs: 2000 });
  const detach = abortable(ctx.signal, () => client.close());
  try {
    const tracker = new RateTracker();
    await sampleRedis(client, tracker);
    await sleep((ctx.loaded.profile.expectations.redis?.windowSeconds ?? 1) * 1000, ctx.signal);
    return await sampleRedis(client, tracker);
  } finally {
    detach();
    await client.close();
  }
}

async function optionalUrl(ref: Parameters<typeof resolveUrl>[0] | undefined, ctx: ProbeRunContext): Promise<string | undefined> {
  if (!ref) return undefined;
  // runChecks has already made sure every secret resolves (else a config error, exit 2).
  return resolveUrl(ref, ctx.environment, ctx.env);
}

/** One passive HTTP run, cross-checked against the environment's own Postgres and Redis. */
export async function runHttpProbe(ctx: ProbeRunContext): Promise<HttpObservation> {
  const expectations = httpExpectationsFor(ctx.loaded.profile.expectations, ctx.environment);
  const [pgUrl, redisUrl] = await Promise.all([optionalUrl(ctx.environment.targets.postgres?.url, ctx), optionalUrl(ctx.environment.targets.redis?.url, ctx)]);
  return runPassiveProbes(ctx.environment.targets.api!.baseUrl, { expectations, pgUrl, redisUrl });
}

/** Index catalog and migration status on one read-only connection, one after the other. */
export async function runPostgresCatalogProbe(ctx: ProbeRunContext): Promise<PostgresCatalogObservation> {
  const url = await resolveUrl(ctx.environment.targets.postgres!.url, ctx.environment, ctx.env);
  const migrations = ctx.loaded.profile.expectations.postgres?.migrations;
  const files = migrations?.dir ? loadMigrations(profilePath(ctx.loaded, migrations.dir)) : [];
  const client = new ProbeClient(url, { connectTimeoutMs: 4000, role: 'reader' });
  const detach = abortable(ctx.signal, () => client.close());
  try {
    const catalog = await readIndexCatalog(client);
    const status = migrations ? await readMigrationStatus(client, files) : null;
    return { catalog, migrations: status, migrationsDir: migrations?.dir ?? null };
  } finally {
    detach();
    await client.close();
  }
}

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
    runs[id] = (await runRateLimitProbe(req, { trigger: manualTrigger(ctx.activeSource), consent, signal: ctx.signal, judge: (obs) => rateLimitReport(obs) })) as RateLimitObservation;
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
  const thresholds = { totalLimit: ctx.loaded.profile.expectations.http?.sse?.maxDbConnections ?? DEFAULT_SSE_THRESHOLDS.totalLimit, returnTolerance: 0 };
  return runSseProbe(req, { trigger: manualTrigger(ctx.activeSource), consent, signal: ctx.signal, judge: (obs) => sseReport(obs, thresholds) });
}
