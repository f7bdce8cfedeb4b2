import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Three projects (`vitest run --project unit|integration|e2e`); `npm test` runs all three.
 * - unit: pure files. No global setup, no server, no spawned process, no browser. A file belongs
 *   here only if it never calls `inject('harness')`, starts a server or spawns a process.
 * - integration: real Postgres/Redis (the global setup starts one of each), HTTP servers, the
 *   CLI binary.
 * - e2e: files that drive Chromium.
 * Only the projects that run pay the global setup; integration and e2e share one Postgres and
 * one Redis when both run (tests/harness/global-setup.ts).
 */
export const UNIT_TEST_FILES = [
  'tests/layering.test.ts',
  'tests/contract.test.ts',
  'tests/cli-options.test.ts',
  'tests/percentile.test.ts',
  'tests/chart-points.test.ts',
  'tests/y-axis.test.ts',
  'tests/launch-line-path.test.ts',
  'tests/http-checks.test.ts',
  'tests/redis-checks.test.ts',
  'tests/redis-info.test.ts',
  'tests/active/checks.test.ts',
  'tests/checks/catalogue.test.ts',
  'tests/checks/engine.test.ts',
  'tests/cli/build-rule.test.ts',
  'tests/cli/in-process.test.ts',
  'tests/cli/registry.test.ts',
  'tests/checks/probe-checks.test.ts',
  'tests/checks/profile-indexes.test.ts',
  'tests/checks/score.test.ts',
  'tests/checks/static-checks.test.ts',
  'tests/connections/connection-store.test.ts',
  'tests/electron/app-protocol.test.ts',
  'tests/electron/packaging-config.test.ts',
  'tests/migrations/lint.test.ts',
  'tests/migrations/migration-files.test.ts',
  'tests/migrations/status.test.ts',
  'tests/consent/rules.test.ts',
  'tests/security/cli-secrets.test.ts',
  'tests/security/profile-credentials.test.ts',
  'tests/security/redact.test.ts',
  'tests/security/redaction-fuzz.test.ts',
  'tests/security/signoff-notes.test.ts',
  'tests/watch/alerts.test.ts',
  'tests/watch/checklist-link.test.ts',
  'tests/watch/gaps-and-decimation.test.ts',
  'tests/pg-connection-discipline.test.ts',
  'tests/checks/profile.test.ts',
  'tests/telemetry/renderer-reports.test.ts',
];

/** Files that drive Chromium (playwright-core). */
export const E2E_TEST_FILES = ['tests/e2e/**/*.test.ts', 'tests/checks/checklist.test.ts', 'tests/security/renderer-csp.test.ts'];

const GLOBAL_SETUP = ['tests/harness/global-setup.ts'];

export default defineConfig({
  test: {
    // Every file gets a temporary HOME and data folder; the real one must stay untouched.
    setupFiles: ['tests/harness/isolate-data.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep parallel files few.
    maxWorkers: 2,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT_TEST_FILES, testTimeout: 30_000 } },
      {
        extends: true,
        test: { name: 'integration', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...UNIT_TEST_FILES, ...E2E_TEST_FILES], globalSetup: GLOBAL_SETUP },
      },
      { extends: true, test: { name: 'e2e', include: E2E_TEST_FILES, globalSetup: GLOBAL_SETUP } },
    ],
  },
});
