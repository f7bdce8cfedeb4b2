import { randomUUID } from 'node:crypto';
import { reuseOrRetire } from '../monitor/rewatch';
import type { Handlers } from '../../../shared/contract';
import { ContractError } from '../../../shared/dispatch';
import type { RedisTarget } from '../../../shared/schemas/redis';
import { RedisWatcher } from '../monitor/redis-watcher';
import { fingerprint } from '../util/fingerprint';
import type { EngineContext, FeatureHandlers } from './feature';

type RedisCallName = 'redis.watch' | 'redis.unwatch' | 'redis.targets' | 'redis.status' | 'redis.history' | 'redis.checks';

export function createRedisHandlers(ctx: EngineContext): FeatureHandlers<RedisCallName> {
  const watchers = new Map<string, RedisWatcher>();
  const watcher = (targetId: string): RedisWatcher => {
    const w = watchers.get(targetId);
    if (!w) throw new ContractError(`No watched Redis with id "${targetId}". Connect to it first.`, 'not_found');
    return w;
  };
  const describe = (w: RedisWatcher): RedisTarget => ({
    targetId: w.targetId,
    label: w.label,
    fingerprint: fingerprint(w.client.url).slice(0, 8),
    intervalMs: w.intervalMs,
    status: w.status,
    thresholds: w.thresholds,
    skippedTicks: w.skippedTicks,
  });
  const handlers: Pick<Handlers, RedisCallName> = {
    'redis.watch': async ({ url, intervalMs, thresholds }) => {
      // One connection per target: watching the same URL again returns the running watcher.
      const existing = [...watchers.values()].find((x) => x.client.url === url);
      // No await unless a watcher exists: concurrent requests must see the one created first.
      const reused = existing && (await reuseOrRetire(watchers, existing, intervalMs));
      if (reused) return describe(reused);
      let w: RedisWatcher;
      try {
        w = new RedisWatcher({ targetId: randomUUID(), url, intervalMs, thresholds, onTick: (tick) => ctx.events.emit('redis.tick', tick) });
      } catch (err) {
        throw new ContractError(`Bad Redis URL: ${(err as Error).message}.`, 'bad_input');
      }
      watchers.set(w.targetId, w);
      w.start();
      return describe(w);
    },
    'redis.unwatch': async ({ targetId }) => {
      const w = watchers.get(targetId);
      if (!w) return { stopped: false };
      watchers.delete(targetId);
      await w.stop();
      return { stopped: true };
    },
    'redis.targets': async () => [...watchers.values()].map(describe),
    'redis.status': async ({ targetId }) => describe(watcher(targetId)),
    'redis.history': async ({ targetId, limit }) => watcher(targetId).history.last(limit),
    'redis.checks': async ({ targetId, window }) => watcher(targetId).checks(window),
  };
  return {
    handlers,
    async close() {
      await Promise.all([...watchers.values()].map((w) => w.stop()));
      watchers.clear();
    },
  };
}
