/**
 * Starts one throw-away Postgres cluster and one redis-server for the whole run, hands their
 * descriptions to the tests (`inject('harness')`), and deletes them at the end, even when
 * tests fail or the run is interrupted. Nothing here depends on services already running.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
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

/**
 * The integration and e2e projects each run this setup (vitest evaluates it once per project),
 * but one Postgres and one Redis serve both: the first setup starts them, the last teardown
 * stops them. The shared state lives on globalThis because each project loads its own copy of
 * this module in the same main process.
 */
interface SharedServers {
  users: number;
  ready: Promise<HarnessInfo>;
  pg?: EphemeralPostgres;
  redis?: EphemeralRedis;
  realDir: string;
  realBefore: ReturnType<typeof fingerprint>;
  onSignal: () => void;
}
const KEY = Symbol.for('preflight.test-harness');
const holder = globalThis as { [KEY]?: SharedServers };

async function teardown(shared: SharedServers): Promise<void> {
  await Promise.all([shared.pg?.destroy(), shared.redis?.destroy()]);
  shared.pg = undefined;
  shared.redis = undefined;
}

/** Compiles the CLI when a source changed, so tests that run the binary run the compiled one (bin/cli-build.mjs). */
async function ensureCliBuilt(): Promise<void> {
  await promisify(execFile)(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build-cli.mjs'), '--if-stale']);
}

function startShared(): SharedServers {
  // The whole run, spawned processes included, must leave the user's real data folder alone.
  const realDir = realDataDir();
  process.env.PREFLIGHT_TEST_REAL_DATA_DIR = realDir;
  const shared: SharedServers = { users: 0, realDir, realBefore: fingerprint(realDir), ready: undefined as never, onSignal: () => void teardown(shared).finally(() => process.exit(130)) };
  process.once('SIGINT', shared.onSignal);
  process.once('SIGTERM', shared.onSignal);
  shared.ready = (async () => {
    try {
      // Build the UI and the CLI once here, so files running in parallel never race to rebuild them.
      [shared.pg, shared.redis] = await Promise.all([startPostgres({ maxConnections: 200 }), startRedis(), ensureRendererBuilt(() => undefined), ensureCliBuilt()]);
    } catch (err) {
      await teardown(shared);
      throw err;
    }
    return { postgres: shared.pg.info, redis: shared.redis.info };
  })();
  return shared;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (holder[KEY] ??= startShared());
  shared.users += 1;
  let info: HarnessInfo;
  try {
    info = await shared.ready;
  } catch (err) {
    shared.users -= 1;
    if (shared.users === 0) delete holder[KEY];
    throw err;
  }
  project.provide('harness', info);
  return async () => {
    shared.users -= 1;
    if (shared.users > 0) return;
    delete holder[KEY];
    process.off('SIGINT', shared.onSignal);
    process.off('SIGTERM', shared.onSignal);
    await teardown(shared);
    try {
      assertUntouched(shared.realDir, shared.realBefore, 'The test run');
    } catch (err) {
      // vitest reports a teardown error but would still exit 0: make the run fail.
      process.exitCode = 1;
      throw err;
    }
  };
}
