/**
 * How a check run drives the probes of the Redis, HTTP, index/migration and active-probe
 * features: targets and secrets from the environment, expectations from the profile, one
 * connection per target, everything closed when the run's signal aborts.
 */
import type { Consent, RateLimitObservation, SseObservation } from '../../../shared/schemas/active';
import type { HttpObservation } from '../../../shared/schemas/http';
import type { RedisSample } from '../../../shared/schemas/redis';
import type { PostgresCatalogObservation, RateLimitRuns } from '../checks/probe-checks';
import { httpExpectationsFor } from '../checks/profile-http';
import { writeAudit } from '../audit/audit-log';
import { loadMigrations, readMigrationStatus } from '../migrations';
import { ConsentError, manualTrigger } from '../probes/active/guardrails';
import { planRateLimit, runRateLimitProbe, type RateLimitRequest } from '../probes/active/ratelimit';
import { planSse, runSseProbe, type SseRequest } from '../probes/active/sse-hold';
import { runPassiveProbes } from '../probes/http';
import { ProbeClient } from '../probes/postgres';
import { readIndexCatalog } from '../probes/postgres/indexes';
import { RateTracker, RedisProbeClient, sampleRedis } from '../probes/redis';
import { resolveBearer, resolveUrl } from '../profile/secrets';
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
  // The readiness cross-check is optional: an unresolvable secret just leaves that side out.
  return resolveUrl(ref, ctx.environment, ctx.env).catch(() => undefined);
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
  const client = new ProbeClient(url, { connectTimeoutMs: 4000 });
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
 * --allow-active is the consent for what the plan says; a production environment (by kind or
 * by name) also needs its name typed back (--confirm-environment NAME).
 */
function consentFor(plan: ActivePlan, target: string, ctx: ProbeRunContext): Consent {
  const production = plan.production || ctx.environment.kind === 'production';
  if (production && ctx.confirmEnvironment !== ctx.environment.name) {
    const how = ctx.activeSource === 'ui' ? 'type its name in the confirmation field' : `confirm with --confirm-environment ${ctx.environment.name}`;
    const err = new ConsentError(`Refused: "${ctx.environment.name}" is a production environment; ${how}. ${plan.description}`);
    // Refusals are audited like the guardrails' own (nothing was sent).
    writeAudit({ action: plan.kind === 'ratelimit' ? 'ratelimit.run' : 'sse.run', target, environment: plan.environment, outcome: 'refused', details: { reason: err.message, plannedRequests: plan.requestCount, source: ctx.activeSource } });
    throw err;
  }
  return { host: plan.host, endpoint: plan.endpoint, requestCount: plan.requestCount, environment: plan.environment, typedEnvironment: ctx.confirmEnvironment };
}

const apiUrl = (ctx: ProbeRunContext, path: string) => new URL(path.replace(/\{[^}]+\}/g, '1'), ctx.environment.targets.api!.baseUrl).toString();

/** Every probed rate limit of the profile, one after the other (bursts must not overlap). */
export async function runRateLimitProbes(ctx: ProbeRunContext): Promise<RateLimitRuns> {
  const limits = (ctx.loaded.profile.expectations.http?.rateLimits ?? []).filter((r) => r.probe && r.method === 'GET');
  const runs: RateLimitRuns = {};
  for (const limit of limits) {
    // A bearer identity is resolved from the environment's secrets here, held only in the request headers.
    const identity = typeof limit.identity === 'object' ? await resolveBearer(limit.identity.bearer.secret, ctx.environment, ctx.env) : null;
    const req: RateLimitRequest = { url: apiUrl(ctx, limit.path), limit: limit.limit, windowSeconds: limit.windowSeconds, xffCheck: limit.tryForwardedForBypass, checkReset: false, environment: ctx.environment.name, headers: identity?.headers, identityLabel: identity?.label };
    const consent = consentFor(planRateLimit(req), req.url, ctx);
    runs[limit.id] = (await runRateLimitProbe(req, { trigger: manualTrigger(ctx.activeSource), consent, signal: ctx.signal })) as RateLimitObservation;
  }
  return runs;
}

export async function runSseHoldProbe(ctx: ProbeRunContext): Promise<SseObservation> {
  const sse = ctx.loaded.profile.expectations.http?.sse;
  if (!sse) throw new Error('the profile has no expectations.http.sse (path, streams, holdSeconds, maxDbConnections)');
  if (!ctx.environment.targets.postgres) throw new Error(`environment "${ctx.environment.name}" has no postgres target to watch the sessions on`);
  const pgUrl = await resolveUrl(ctx.environment.targets.postgres.url, ctx.environment, ctx.env);
  const req: SseRequest = {
    url: apiUrl(ctx, sse.path),
    pgUrl,
    applicationName: sse.applicationName ?? null,
    clientAddress: sse.clientAddress ?? null,
    streams: sse.streams,
    seconds: sse.holdSeconds,
    environment: ctx.environment.name,
    settleTimeoutMs: 5000,
    thresholds: { totalLimit: sse.maxDbConnections, returnTolerance: 0 },
  };
  const consent = consentFor(planSse(req), req.url, ctx);
  return runSseProbe(req, { trigger: manualTrigger(ctx.activeSource), consent, signal: ctx.signal });
}
