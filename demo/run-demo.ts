/**
 * The demo as every face starts it (`preflight demo`, `electron . --demo`): a throw-away stack,
 * the demo migrations, simulated cache and app traffic, and the engine already watching it —
 * so the Postgres, Redis and Endpoints pages have something to show the moment they open.
 */
import type { Engine } from '../electron/core/api/engine';
import { HttpExpectations } from '../shared/schemas/http';
import { PRODUCTION_ORIGINS } from './api/server';
import type { Twins } from './api/twins';
import { startAppSessions } from './app-sessions';
import { applyDemoMigrations, startCacheTraffic } from './demo-database';
import { startDemoStack, type DemoStack } from './stack';

export interface RunningDemo {
  stack: DemoStack;
  /** What profiles/demo.yaml reads the stack's addresses from (already set in process.env). */
  env: Record<'DEMO_API_URL' | 'DEMO_DATABASE_URL' | 'DEMO_REDIS_URL', string>;
  stop(): Promise<void>;
}

export async function runDemo(engine: Engine, options: { apiPort?: number; twins?: Twins } = {}): Promise<RunningDemo> {
  const stack = await startDemoStack({ port: options.apiPort, twins: options.twins });
  const env = { DEMO_API_URL: stack.api.url, DEMO_DATABASE_URL: stack.postgres.url, DEMO_REDIS_URL: stack.redis.url };
  // The Overview page's checks run in this process, so they find the stack through these.
  Object.assign(process.env, env);
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    await stack.stop();
  };
  try {
    await applyDemoMigrations(stack.postgres.url);
    const cache = await startCacheTraffic(stack.redis.url);
    stoppers.push(() => cache.stop());
    const sessions = await startAppSessions(stack.postgres.url);
    stoppers.push(() => sessions.stop());
    await engine.handlers['pg.watch']({ url: stack.postgres.url, intervalMs: 2000, budget: 50, planLimit: 60 });
    await engine.handlers['redis.watch']({ url: stack.redis.url, intervalMs: 2000, thresholds: { hitRate: 0.8, minLookups: 100, memoryUtilization: 0.8 } });
    // The Endpoints page opens on the sample API, cross-checked against its own Postgres and Redis.
    await engine.handlers['http.watch']({
      baseUrl: stack.api.url,
      intervalMs: 5000,
      expectations: HttpExpectations.parse({ allowedOrigins: [...PRODUCTION_ORIGINS] }),
      pgUrl: stack.postgres.url,
      redisUrl: stack.redis.url,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { stack, env, stop };
}
