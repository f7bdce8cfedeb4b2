import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/harness/global-setup.ts'],
    // Every file gets a temporary HOME and data folder; the real one must stay untouched.
    setupFiles: ['tests/harness/isolate-data.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: keep parallel files few so timing-sensitive tests stay honest.
    maxWorkers: 2,
    pool: 'forks',
  },
});
