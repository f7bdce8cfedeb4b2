/**
 * The demo as every face starts it (`preflight demo`, `electron . --demo`): a throw-away stack,
 * the demo migrations, simulated cache and app traffic, and the engine already watching it —
 * so the Postgres, Redis, Endpoints, Indexes and Migrations pages have something to show the
 * moment they open, and the Rate limit and SSE forms open filled in for the demo API (from
 * profiles/demo.yaml, as a check run would plan them; nothing active runs without consent).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../electron/core/api/engine';
import { formPresetsFromProfile } from '../electron/core/engine/form-presets';
import { loadProfile } from '../electron/core/profile/load';
import { projectPath } from '../electron/core/util/project-root';
import { HttpExpectations } from '../shared/schemas/http';
import { PRODUCTION_ORIGINS } from './api/server';
import type { Twins } from './api/twins';
import { startAppSessions } from './app-sessions';
import { applyDemoMigrations, startCacheTraffic } from './demo-database';
import { walkthroughWithRotatedSecrets } from './demo-walkthrough';
import { startDemoStack, type DemoStack } from './stack';

export interface RunningDemo {
  stack: DemoStack;
  /** What profiles/demo.yaml reads the stack's addresses and its throw-away .env copy from (already set in process.env). */
  env: Record<'DEMO_API_URL' | 'DEMO_DATABASE_URL' | 'DEMO_REDIS_URL' | 'DEMO_ENV_FILE', string>;
  stop(): Promise<void>;
}

export async function runDemo(engine: Engine, options: { apiPort?: number; twins?: Twins; say?: (line: string) => void } = {}): Promise<RunningDemo> {
  const say = options.say ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const stack = await startDemoStack({ port: options.apiPort, twins: options.twins });
  // The demo's own folder for its copy of the backend .env, deleted on stop.
  const dir = mkdtempSync(join(tmpdir(), 'preflight-demo-'));
  const env = { DEMO_API_URL: stack.api.url, DEMO_DATABASE_URL: stack.postgres.url, DEMO_REDIS_URL: stack.redis.url, DEMO_ENV_FILE: join(dir, 'backend.env') };
  // The Overview page's checks run in this process, so they find the stack through these.
  Object.assign(process.env, env);
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The team's pre-deploy step, done for the person on the demo's own copy of the .env (never the repo's fixture).
    // Not being able to is no reason to refuse the demo: the person is told, and secrets.rotated stays unknown.
    await walkthroughWithRotatedSecrets(engine, dir).then(
      ({ rotated }) => say(`demo: started the checklist walkthrough (profile demo, env local) and rotated the throw-away copy's secrets (${rotated.join(', ')}) in ${env.DEMO_ENV_FILE}, so secrets.rotated has evidence`),
      (err: unknown) => say(`demo: could not start the checklist walkthrough for profile demo / env local (${err instanceof Error ? err.message : String(err)}), so secrets.rotated stays unknown`),
    );
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
    // The demo profile's own expectations, never StartInsight's (its indexes, its migrations folder).
    const presets = await formPresetsFromProfile(loadProfile(projectPath('profiles', 'demo.yaml')), 'local');
    engine.setFormPresets(presets);
    if (presets.indexes) await engine.handlers['indexes.watch']({ url: stack.postgres.url, expectYaml: presets.indexes.yaml, intervalMs: 300_000 });
    if (presets.migrations) await engine.handlers['migrations.open']({ url: stack.postgres.url, dir: presets.migrations.dir, environment: presets.migrations.environment });
  } catch (err) {
    await stop();
    throw err;
  }
  return { stack, env, stop };
}
