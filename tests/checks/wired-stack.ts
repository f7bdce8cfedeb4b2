/**
 * The sample stack as the check engine sees it: a profile (written to a temp dir) whose
 * targets come from environment variables, and a run through `runChecks` against one API
 * instance, one database and one Redis.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { runChecks } from '../../electron/core/engine/run-checks';
import { loadProfile } from '../../electron/core/profile/load';
import type { CheckResult } from '../../shared/schemas/check';
import type { ReadinessReport } from '../../shared/schemas/readiness';
import { DEMO_MIGRATIONS_DIR } from '../../demo/demo-database';
import { tempDir } from './fixtures';

export interface StackUrls {
  api: string;
  db: string;
  redis: string;
}

export function wiredProfile(options: { kind?: 'production' | 'staging' | 'dev'; envName?: string; migrationsDir?: string; applicationName?: string } = {}): string {
  const dir = tempDir('pf-wired-');
  const yaml = `version: 1
name: wired-test
environments:
  - name: ${options.envName ?? 'local'}
    kind: ${options.kind ?? 'dev'}
    secrets:
      db: { env: T_DB_URL }
      redis: { env: T_REDIS_URL }
    targets:
      postgres: { url: { secret: db } }
      redis: { url: { secret: redis } }
      api: { baseUrl: '\${T_API_URL}' }
expectations:
  postgres:
    indexes:
      - { name: idx_insights_created_at, table: insights, columns: [created_at] }
      - { name: idx_insights_title, table: insights, columns: [title], optional: true, note: nice to have }
    migrations: { tool: preflight, dir: '${options.migrationsDir ?? DEMO_MIGRATIONS_DIR}', head: 0001_demo_indexes }
  redis:
    hitRateAtLeast: 0.8
    memoryUsedRatio: { warn: 0.75, fail: 0.9 }
    windowSeconds: 1
    minLookups: 100
  http:
    health:
      - { id: basic, path: /health, status: 200, body: { status: healthy, service: startinsight-api } }
      - id: ready
        path: /health/ready
        status: 200
        body: { status: ready, checks: { database: healthy, redis: healthy } }
        whenUnhealthy: { status: 503, bodyStatus: not_ready, checkPattern: '^unhealthy: [A-Za-z_][A-Za-z0-9_]*$' }
      - { id: live, path: /health/live, status: 200, body: { status: alive } }
    requestId: { header: X-Request-ID, format: uuid, echo: true }
    cors:
      allowedOrigins: [https://startinsight.app, https://www.startinsight.app, https://app.startinsight.app]
    webhook: { path: /api/payments/webhook, signatureHeader: stripe-signature, rejectStatus: 400 }
    errors: { probePaths: [/api/insights/not-a-valid-id], testErrorPath: /api/test-sentry }
    rateLimits:
      - { id: list-insights, method: GET, path: /api/insights, limit: 100, windowSeconds: 60, tryForwardedForBypass: true }
    sse: { path: '/api/insights/{id}/trend-stream', streams: 5, holdSeconds: 2, maxDbConnections: 50, applicationName: ${options.applicationName ?? 'startinsight-api'} }
`;
  const file = join(dir, 'wired.yaml');
  writeFileSync(file, yaml);
  return file;
}

const envFor = (u: StackUrls): NodeJS.ProcessEnv => ({ T_API_URL: u.api, T_DB_URL: u.db, T_REDIS_URL: u.redis });

export async function runOn(file: string, urls: StackUrls, options: { only?: string[]; allowActive?: boolean; envName?: string; confirmEnvironment?: string } = {}): Promise<ReadinessReport> {
  const env = envFor(urls);
  const loaded = loadProfile(file, { knownCheckIds: CHECK_IDS, env });
  return runChecks({ loaded, environment: options.envName ?? 'local', only: options.only, allowActive: options.allowActive, confirmEnvironment: options.confirmEnvironment, env, activeSource: 'test' });
}

export function byId(report: ReadinessReport): Record<string, CheckResult> {
  return Object.fromEntries(report.results.map((r) => [r.id, r]));
}

/** `id → status` for the given ids, so one expect shows every mismatch at once. */
export function statuses(report: ReadinessReport, ids: string[]): Record<string, string> {
  const m = byId(report);
  return Object.fromEntries(ids.map((id) => [id, m[id]?.status ?? 'absent']));
}
