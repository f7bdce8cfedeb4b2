/** A sample stack for watch tests: private Postgres + Redis (they get stopped), the sample API, the Sentry stand-in, and a profile file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSampleApi, startSentryStandIn, type SampleApi, type SentryStandIn } from '../../demo';
import type { EphemeralPostgres } from '../../demo/ephemeral/postgres';
import type { EphemeralRedis } from '../../demo/ephemeral/redis';
import { privatePostgres, privateRedis } from '../harness';

export interface WatchStack {
  postgres: EphemeralPostgres;
  redis: EphemeralRedis;
  api: SampleApi;
  sentry: SentryStandIn;
  dir: string;
  profileFile: string;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Thresholds of metrics no check judges are stated; the rest come from expectations (as the real profiles). */
function watchProfile(apiUrl: string, sentryUrl: string): string {
  return `version: 1
name: watched
environments:
  - name: local
    kind: dev
    secrets:
      database_url: { env: WATCH_DATABASE_URL }
      redis_url: { env: WATCH_REDIS_URL }
      sentry_token: { env: WATCH_SENTRY_TOKEN }
    targets:
      postgres: { url: { secret: database_url } }
      redis: { url: { secret: redis_url } }
      api: { baseUrl: '${apiUrl}' }
      sentry: { baseUrl: '${sentryUrl}', organization: demo-org, projects: [startinsight-backend], token: { secret: sentry_token } }
expectations:
  postgres: { poolUtilization: { warn: 0.5, fail: 0.8 } }
  http:
    health:
      - { id: basic, path: /health, status: 200 }
      - { id: ready, path: /health/ready, status: 200, whenUnhealthy: { status: 503 } }
      - { id: live, path: /health/live, status: 200 }
checklist:
  phases:
    - id: first-24h
      title: First 24 hours
      steps:
        - { id: sentry-under-5, title: Sentry under 5 errors/hour, manual: true, watch: [sentry-errors] }
        - { id: no-500s, title: No 500s, manual: true, watch: [http-5xx] }
        - { id: health-holds, title: Health endpoints healthy, checks: [health.ready], watch: [ready-down] }
        - { id: pool, title: Pool below 80 %, checks: [pg.pool-utilization], watch: [pg-utilization] }
alerts:
  - { id: pg-utilization, title: Pool at or above 80 %, metric: pg.utilization, severity: critical }
  - { id: pg-down, title: Postgres not answering, metric: pg.up, op: '<', value: 1, severity: critical }
  - { id: redis-down, title: Redis not answering, metric: redis.up, op: '<', value: 1, severity: critical }
  - { id: ready-down, title: /health/ready not 200, metric: http.ready_up, severity: critical }
  - { id: http-5xx, title: Any 5xx from the health endpoints, metric: http.5xx_per_hour, op: '>', value: 0, severity: high }
  - { id: sentry-errors, title: Sentry above 5 errors/hour, metric: sentry.errors_per_hour, op: '>', value: 5, severity: high }
`;
}

export async function startWatchStack(): Promise<WatchStack> {
  const [postgres, redis] = await Promise.all([privatePostgres(), privateRedis()]);
  const api = await startSampleApi({ pgUrl: postgres.url, redisUrl: redis.url });
  const sentry = await startSentryStandIn({ api, token: `sntrys_${Math.random().toString(36).slice(2)}` });
  const dir = mkdtempSync(join(tmpdir(), 'preflight-watch-'));
  const profileFile = join(dir, 'watched.yaml');
  writeFileSync(profileFile, watchProfile(api.url, sentry.url));
  const env = { ...process.env, WATCH_DATABASE_URL: postgres.url, WATCH_REDIS_URL: redis.url, WATCH_SENTRY_TOKEN: sentry.token, PREFLIGHT_DATA_DIR: dir };
  return {
    postgres,
    redis,
    api,
    sentry,
    dir,
    profileFile,
    env,
    async stop() {
      await sentry.close();
      await api.close();
      await Promise.all([postgres.destroy(), redis.destroy()]);
    },
  };
}
