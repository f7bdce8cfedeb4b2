/**
 * What makes the sample stack match profiles/demo.yaml: its migration folder applied (the
 * production index the profile expects) and some cache traffic on Redis, so the windowed hit
 * rate has lookups to judge.
 */
import { Redis } from 'ioredis';
import { loadMigrations } from '../electron/core/migrations/migration-files';
import { applyMigrations } from '../electron/core/migrations/apply';
import { projectPath } from '../electron/core/util/project-root';

export const DEMO_MIGRATIONS_DIR = projectPath('demo', 'migrations');

/** Applies demo/migrations to the sample API's database (after the API created its tables). */
export async function applyDemoMigrations(pgUrl: string): Promise<void> {
  const result = await applyMigrations(pgUrl, loadMigrations(DEMO_MIGRATIONS_DIR));
  if (result.outcome !== 'succeeded' && result.outcome !== 'nothing_to_do') throw new Error(`demo migrations ${result.outcome}: ${result.error ?? 'no reason given'}`);
}

export interface CacheTraffic {
  stop(): Promise<void>;
}

/**
 * An app's cache reads: every `everyMs`, `perTick` GETs of which `hitRatio` find their key.
 * The default (40 reads every 50 ms, 90 % hits) is 800 lookups/s — enough for any window.
 */
export async function startCacheTraffic(redisUrl: string, options: { hitRatio?: number; perTick?: number; everyMs?: number; prefix?: string } = {}): Promise<CacheTraffic> {
  const hitRatio = options.hitRatio ?? 0.9;
  const perTick = options.perTick ?? 40;
  const prefix = options.prefix ?? 'demo:cache';
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  r.on('error', () => undefined);
  await r.connect();
  const seed = r.pipeline();
  for (let i = 0; i < perTick; i++) seed.set(`${prefix}:${i}`, 'cached', 'EX', 3600);
  await seed.exec();
  const hits = Math.round(perTick * hitRatio);
  let n = 0;
  const timer = setInterval(() => {
    const p = r.pipeline();
    for (let i = 0; i < perTick; i++) p.get(i < hits ? `${prefix}:${i}` : `${prefix}:absent:${n++}`);
    void p.exec().catch(() => undefined);
  }, options.everyMs ?? 50);
  return {
    async stop() {
      clearInterval(timer);
      await r.quit().catch(() => r.disconnect());
    },
  };
}
