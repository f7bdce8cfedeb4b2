/**
 * Every check Preflight knows: stable id, title, category, severity, the fix it verifies, the
 * probes it needs, and a pure evaluate function. Checks whose probe lives in another feature
 * (Redis, HTTP, indexes, active probes) are registered here with `pendingProbe`: they report
 * `skipped` until that probe's observation exists; plugging a probe in is replacing
 * `pendingProbe(...)` with the real evaluate and adding the runner in engine/probes.ts.
 */
import type { ActivitySample } from '../../../shared/schemas/postgres';
import type { EnvFileObservation } from '../probes/static/env-file';
import type { RepoObservation } from '../probes/static/repo-scan';
import { evaluateCorsOrigins, evaluateEnvRequired, evaluateSecretStrength } from './env-file';
import { evaluateIdleInTransaction, evaluateLockWaits, evaluatePoolUtilization } from './postgres-activity';
import { evaluateRepoRule } from './repo';
import { evaluateSecretsRotated, type SecretsBaselineObservation } from './secrets';
import { skipped, type CheckDefinition, type ProbeData, type ProbeName, type Verdict } from './types';

/** Placeholder evaluate for a check whose probe has not landed: honest `skipped`, never pass. */
export function pendingProbe(probe: ProbeName): (data: ProbeData) => Verdict {
  return () => skipped(`probe not available yet (${probe})`, { probe });
}

type Def = CheckDefinition;
const sec = 'security' as const;
const infra = 'infrastructure' as const;
const perf = 'performance' as const;

const pending = (id: string, title: string, category: Def['category'], severity: Def['severity'], probe: ProbeName, fix: string): Def => ({
  id, title, category, severity, fix, needs: [probe], evaluate: pendingProbe(probe),
});

export const CATALOGUE: readonly Def[] = [
  pending('health.basic', 'GET /health answers 200 with the expected body', infra, 'high', 'http', 'Railway health check at /health returns {"status":"healthy","service":…} and always 200'),
  pending('health.live', 'GET /health/live answers 200 alive', infra, 'medium', 'http', 'Liveness endpoint /health/live returns {"status":"alive"}'),
  pending('health.ready', 'GET /health/ready reports database and Redis healthy', infra, 'critical', 'http', 'Readiness endpoint /health/ready checks the database and Redis and returns 200 ready'),
  pending('health.ready-consistent', 'Readiness agrees with what Preflight sees of Postgres and Redis', infra, 'high', 'http', 'Readiness returns 503 not_ready with "unhealthy: <Exception>" when a dependency is down, and never lies'),
  pending('request-id.generated', 'Every response carries a generated X-Request-ID (UUID)', infra, 'medium', 'http', 'Request-ID middleware generates a UUID per request'),
  pending('request-id.echoed', 'A caller’s X-Request-ID is echoed back', infra, 'low', 'http', 'Request-ID middleware echoes the caller’s own X-Request-ID'),
  pending('cors.allowlist', 'CORS allows only the production HTTPS origins', sec, 'critical', 'http', 'CORS restricted to the production domains over HTTPS; any other origin refused'),
  pending('webhook.signature', 'Webhook rejects missing or forged signatures', sec, 'critical', 'http', 'Stripe webhook verifies the stripe-signature header; missing or forged → 400'),
  pending('errors.no-leak', 'Error responses leak no internals', sec, 'high', 'http', 'Global exception handlers: generic 500 body, 422/409/503/401 mapped, no stack traces'),
  pending('ratelimit.list-insights', 'Request limit+1 within the window gets 429', sec, 'critical', 'rateLimit', 'Redis-backed rate limit on GET /api/insights: 100/minute, request 101 gets 429'),
  pending('ratelimit.xff-bypass', 'A forged X-Forwarded-For does not dodge the rate limit', sec, 'high', 'rateLimit', 'Rate limit keyed on the real client, not a caller-supplied X-Forwarded-For'),
  pending('sse.connection-hold', 'Concurrent SSE streams do not hold database connections', perf, 'critical', 'sse', 'SSE trend stream opens and closes a DB session per poll: 20 streams stay under 50 connections'),
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
  pending('pg.indexes', 'Production indexes exist', perf, 'high', 'postgresCatalog', 'Migration b010_add_production_indexes: the listed indexes exist (15 idx_% in public)'),
  pending('pg.migrations-applied', 'Database is at the expected migration head', infra, 'critical', 'postgresCatalog', 'alembic upgrade head applied: alembic_version is b010_add_production_indexes'),
  pending('redis.hit-rate', 'Redis cache hit rate above the floor (windowed)', perf, 'medium', 'redis', 'Redis caching in front of hot queries: hit rate above 80 % over the window'),
  pending('redis.memory', 'Redis memory below its limit', infra, 'high', 'redis', 'Redis sized for cache + rate-limit keys: used memory well below maxmemory'),
  pending('redis.evictions', 'Redis evicts no keys', infra, 'medium', 'redis', 'No evictions: rate-limit counters are never dropped under memory pressure'),
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
