/**
 * Every check Preflight knows: stable id, title, category, severity, the fix it verifies, the
 * probes it needs, and a pure evaluate function over the probes' observations. The probe
 * runners are in engine/probes.ts; the adapters over other features' checks in probe-checks.ts.
 */
import type { SseObservation } from '../../../shared/schemas/active';
import type { HttpObservation } from '../../../shared/schemas/http';
import type { ActivitySample } from '../../../shared/schemas/postgres';
import type { RedisSample } from '../../../shared/schemas/redis';
import type { EnvFileObservation } from '../probes/static/env-file';
import type { RepoObservation } from '../probes/static/repo-scan';
import { evaluateCorsOrigins, evaluateEnvRequired, evaluateSecretStrength } from './env-file';
import { evaluateIdleInTransaction, evaluateLockWaits, evaluatePoolUtilization } from './postgres-activity';
import { httpVerdict, indexesVerdict, migrationsVerdict, rateLimitVerdict, redisEvictions, redisHitRate, redisMemory, redisRejectedConnections, sseVerdict, type PostgresCatalogObservation, type RateLimitRuns } from './probe-checks';
import { evaluateRepoRule } from './repo';
import { evaluateSecretsRotated, type SecretsBaselineObservation } from './secrets';
import type { CheckContext, CheckDefinition, ProbeData, ProbeName, Verdict } from './types';

type Def = CheckDefinition;
const sec = 'security' as const;
const infra = 'infrastructure' as const;
const perf = 'performance' as const;

const onProbe = (probe: ProbeName, evaluate: (data: unknown, ctx: CheckContext, id: string) => Verdict) =>
  (id: string, title: string, category: Def['category'], severity: Def['severity'], fix: string): Def => ({
    id, title, category, severity, fix, needs: [probe], evaluate: (d: ProbeData, ctx) => evaluate(d[probe], ctx, id),
  });

const http = onProbe('http', (o, ctx, id) => httpVerdict(id, o as HttpObservation, ctx));
const rateLimit = (which: 'boundary' | 'xff') => onProbe('rateLimit', (o) => rateLimitVerdict(o as RateLimitRuns, which));
const sse = onProbe('sse', (o, ctx) => sseVerdict(o as SseObservation, ctx));
const pgCatalog = (f: typeof indexesVerdict) => onProbe('postgresCatalog', (o, ctx) => f(o as PostgresCatalogObservation, ctx));
const redis = (f: (s: RedisSample, ctx: CheckContext) => Verdict) => onProbe('redis', (o, ctx) => f(o as RedisSample, ctx));

export const CATALOGUE: readonly Def[] = [
  http('health.basic', 'GET /health answers 200 with the expected body', infra, 'high', 'Railway health check at /health returns {"status":"healthy","service":…} and always 200'),
  http('health.live', 'GET /health/live answers 200 alive', infra, 'medium', 'Liveness endpoint /health/live returns {"status":"alive"}'),
  http('health.ready', 'GET /health/ready reports database and Redis healthy', infra, 'critical', 'Readiness endpoint /health/ready checks the database and Redis and returns 200 ready'),
  http('health.ready-consistent', 'Readiness agrees with what Preflight sees of Postgres and Redis', infra, 'high', 'Readiness returns 503 not_ready with "unhealthy: <Exception>" when a dependency is down, and never lies'),
  http('request-id.generated', 'Every response carries a generated X-Request-ID (UUID)', infra, 'medium', 'Request-ID middleware generates a UUID per request'),
  http('request-id.echoed', 'A caller’s X-Request-ID is echoed back', infra, 'low', 'Request-ID middleware echoes the caller’s own X-Request-ID'),
  http('cors.allowlist', 'CORS allows only the production HTTPS origins', sec, 'critical', 'CORS restricted to the production domains over HTTPS; any other origin refused'),
  http('webhook.signature', 'Webhook rejects missing or forged signatures', sec, 'critical', 'Stripe webhook verifies the stripe-signature header; missing or forged → 400'),
  http('security.headers', 'API responses carry security headers', sec, 'medium', 'Security-headers middleware: nosniff, frame protection, HSTS, Referrer-Policy, CSP; no X-Powered-By'),
  {
    ...http('tls.expiry', 'The API’s TLS certificate is trusted and not about to expire', sec, 'high', 'HTTPS on the API with a trusted certificate renewed well before it expires'),
    notApplicable: (env) => (env.kind !== 'production' && env.targets.api?.baseUrl.startsWith('http:') ? 'a plain http API outside production has no certificate to check' : null),
  },
  http('errors.no-leak', 'Error responses leak no internals', sec, 'high', 'Global exception handlers: generic 500 body, 422/409/503/401 mapped, no stack traces'),
  rateLimit('boundary')('ratelimit.list-insights', 'Request limit+1 within the window gets 429', sec, 'critical', 'Redis-backed rate limit on GET /api/insights: 100/minute, request 101 gets 429'),
  rateLimit('xff')('ratelimit.xff-bypass', 'A forged X-Forwarded-For does not dodge the rate limit', sec, 'high', 'Rate limit keyed on the real client, not a caller-supplied X-Forwarded-For'),
  sse('sse.connection-hold', 'Concurrent SSE streams do not hold database connections', perf, 'critical', 'SSE trend stream opens and closes a DB session per poll: 20 streams stay under 50 connections'),
  {
    id: 'pg.pool-utilization',
    title: 'Database connections well below the plan’s limit',
    category: perf,
    severity: 'critical',
    fix: 'Connection pool sized (pool_size 20 + max_overflow 30 per instance) and Supabase upgraded to Pro (60 → 500 connections)',
    needs: ['postgres'],
    evaluate: (d, ctx) => evaluatePoolUtilization(d.postgres as ActivitySample, ctx),
  },
  {
    id: 'pg.idle-in-transaction',
    title: 'No session sits idle in a transaction',
    category: perf,
    severity: 'high',
    fix: 'Sessions closed after each unit of work (SSE polls open and close their own session); no leaked transactions',
    needs: ['postgres'],
    evaluate: (d, ctx) => evaluateIdleInTransaction(d.postgres as ActivitySample, ctx),
  },
  {
    id: 'pg.lock-waits',
    title: 'No session stuck waiting on a lock',
    category: perf,
    severity: 'medium',
    fix: 'No long-running transactions or migrations blocking the app at deploy time',
    needs: ['postgres'],
    evaluate: (d, ctx) => evaluateLockWaits(d.postgres as ActivitySample, ctx),
  },
  pgCatalog(indexesVerdict)('pg.indexes', 'Production indexes exist', perf, 'high', 'Migration b010_add_production_indexes: the listed indexes exist (15 idx_% in public)'),
  pgCatalog(migrationsVerdict)('pg.migrations-applied', 'Database is at the expected migration head', infra, 'critical', 'alembic upgrade head applied: alembic_version is b010_add_production_indexes'),
  redis(redisHitRate)('redis.hit-rate', 'Redis cache hit rate above the floor (windowed)', perf, 'medium', 'Redis caching in front of hot queries: hit rate above 80 % over the window'),
  redis(redisMemory)('redis.memory', 'Redis memory below its limit', infra, 'high', 'Redis sized for cache + rate-limit keys: used memory well below maxmemory'),
  redis(redisEvictions)('redis.evictions', 'Redis evicts no keys', infra, 'medium', 'No evictions: rate-limit counters are never dropped under memory pressure'),
  redis(redisRejectedConnections)('redis.rejected-connections', 'Redis rejects no connections', infra, 'high', 'Redis plan and maxclients sized for the app: no client is turned away'),
  {
    id: 'env.required',
    title: 'Every production environment variable is set',
    category: sec,
    severity: 'critical',
    fix: 'Production variables set on the backend (Sentry DSN, secrets, Stripe, API keys, CORS_ORIGINS, ENVIRONMENT=production)',
    needs: ['envFile'],
    evaluate: (d, ctx) => evaluateEnvRequired(d.envFile as EnvFileObservation, ctx),
  },
  {
    id: 'env.secret-strength',
    title: 'Secrets are long enough',
    category: sec,
    severity: 'high',
    fix: 'REFRESH_TOKEN_SECRET ≥ 32 characters (64 hex generated), JWT_SECRET 128 hex characters',
    needs: ['envFile'],
    evaluate: (d, ctx) => evaluateSecretStrength(d.envFile as EnvFileObservation, ctx),
  },
  {
    id: 'env.cors-origins',
    title: 'CORS_ORIGINS is HTTPS-only and within the allow-list',
    category: sec,
    severity: 'high',
    fix: 'CORS_ORIGINS lists only the three production domains over HTTPS',
    needs: ['envFile'],
    evaluate: (d, ctx) => evaluateCorsOrigins(d.envFile as EnvFileObservation, ctx),
  },
  {
    id: 'repo.no-alert',
    title: 'No alert() left in the frontend',
    category: sec,
    severity: 'medium',
    fix: 'alert() calls replaced by toasts with generic text (frontend/app, .ts/.tsx)',
    needs: ['repo'],
    evaluate: (d) => evaluateRepoRule(d.repo as RepoObservation, 'no-alert'),
  },
  {
    id: 'secrets.rotated',
    title: 'Every secret rotated since the checklist started',
    category: sec,
    severity: 'critical',
    fix: 'All secrets rotated before launch (pre-deploy step 1)',
    needs: ['envFile', 'secretsBaseline'],
    evaluate: (d, ctx) => evaluateSecretsRotated(d.envFile as EnvFileObservation, d.secretsBaseline as SecretsBaselineObservation, ctx),
  },
];

export const CHECK_IDS: ReadonlySet<string> = new Set(CATALOGUE.map((c) => c.id));

export function checkById(id: string): CheckDefinition | undefined {
  return CATALOGUE.find((c) => c.id === id);
}
