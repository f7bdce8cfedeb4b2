/**
 * Starts one throw-away Postgres cluster and one redis-server for the whole run, hands their
 * descriptions to the tests (`inject('harness')`), and deletes them at the end, even when
 * tests fail or the run is interrupted. Nothing here depends on services already running.
 */
import type { TestProject } from 'vitest/node';
import { startPostgres, type EphemeralPostgres, type EphemeralPostgresInfo } from '../../demo/ephemeral/postgres';
import { startRedis, type EphemeralRedis, type EphemeralRedisInfo } from '../../demo/ephemeral/redis';
import { ensureRendererBuilt } from '../../electron/server/renderer-build';
import { assertUntouched, fingerprint, realDataDir } from './real-data-guard';

export interface HarnessInfo {
  postgres: EphemeralPostgresInfo;
  redis: EphemeralRedisInfo;
}

declare module 'vitest' {
  export interface ProvidedContext {
    harness: HarnessInfo;
  }
}

let pg: EphemeralPostgres | undefined;
let redis: EphemeralRedis | undefined;

async function teardown(): Promise<void> {
  await Promise.all([pg?.destroy(), redis?.destroy()]);
  pg = undefined;
  redis = undefined;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The whole run, spawned processes included, must leave the user's real data folder alone.
  const realDir = realDataDir();
  process.env.PREFLIGHT_TEST_REAL_DATA_DIR = realDir;
  const realBefore = fingerprint(realDir);
  const onSignal = () => void teardown().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // Build the UI once here, so e2e files running in parallel never race to rebuild it.
    [pg, redis] = await Promise.all([startPostgres({ maxConnections: 200 }), startRedis(), ensureRendererBuilt(() => undefined)]);
  } catch (err) {
    await teardown();
    throw err;
  }
  project.provide('harness', { postgres: pg.info, redis: redis.info });
  return async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await teardown();
    try {
      assertUntouched(realDir, realBefore, 'The test run');
    } catch (err) {
      // vitest reports a teardown error but would still exit 0: make the run fail.
      process.exitCode = 1;
      throw err;
    }
  };
}
