import { defineConfig } from 'vitest/config';

/**
 * The fast lane (`npm run test:unit`): test files that need no Postgres, Redis, HTTP server,
 * Chromium or CLI process. No global setup, so nothing is started. A file added here must stay
 * pure: if it calls `inject('harness')`, spawns the CLI or starts a server, it belongs in `npm test` only.
 * `npm test` still runs every file, these included.
 */
export const UNIT_TEST_FILES = [
  'tests/layering.test.ts',
  'tests/contract.test.ts',
  'tests/chart-points.test.ts',
  'tests/http-checks.test.ts',
  'tests/redis-checks.test.ts',
  'tests/redis-info.test.ts',
  'tests/active/checks.test.ts',
  'tests/checks/probe-checks.test.ts',
  'tests/checks/profile-indexes.test.ts',
  'tests/checks/score.test.ts',
  'tests/checks/static-checks.test.ts',
  'tests/connections/connection-store.test.ts',
  'tests/electron/app-protocol.test.ts',
  'tests/electron/packaging-config.test.ts',
  'tests/migrations/lint.test.ts',
  'tests/migrations/migration-files.test.ts',
  'tests/security/redact.test.ts',
  'tests/security/redaction-fuzz.test.ts',
  'tests/security/signoff-notes.test.ts',
  'tests/watch/alerts.test.ts',
  'tests/watch/checklist-link.test.ts',
  'tests/watch/gaps-and-decimation.test.ts',
];

export default defineConfig({
  test: {
    include: UNIT_TEST_FILES,
    // Every file still gets a temporary HOME and data folder; the real one must stay untouched.
    setupFiles: ['tests/harness/isolate-data.ts'],
    testTimeout: 30_000,
    maxWorkers: 2,
    pool: 'forks',
  },
});
