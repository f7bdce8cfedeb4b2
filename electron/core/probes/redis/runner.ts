/** The Redis probe's runner: two INFO samples a window apart. */
import type { RedisSample } from '../../../../shared/schemas/redis';
import { resolveUrl } from '../../profile/secrets';
import { abortable, needsTarget, type ProbeRunContext, type ProbeRunner } from '../runner';
import { RateTracker, RedisProbeClient, sampleRedis } from './index';

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(done, ms);
    function done() {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    function onAbort() {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Two INFO samples `windowSeconds` apart: rates over a real window, never lifetime ratios. */
async function runRedisProbe(ctx: ProbeRunContext): Promise<RedisSample> {
  const url = await resolveUrl(ctx.environment.targets.redis!.url, ctx.environment, ctx.env);
  const client = new RedisProbeClient(url, { reconnect: false, connectTimeoutMs: 2000, commandTimeoutMs: 2000 });
  const detach = abortable(ctx.signal, () => client.close());
  try {
    const tracker = new RateTracker();
    await sampleRedis(client, tracker);
    await sleep((ctx.loaded.profile.expectations.redis?.windowSeconds ?? 1) * 1000, ctx.signal);
    return await sampleRedis(client, tracker);
  } finally {
    detach();
    await client.close();
  }
}

export const redisRunner: ProbeRunner<'redis'> = {
  name: 'redis',
  targets: ['redis'],
  active: false,
  notApplicable: needsTarget('redis'),
  timeoutMs: 3000,
  // Two samples a window apart, plus room for each round trip.
  timeoutFor: (ctx) => 3000 + (ctx.loaded.profile.expectations.redis?.windowSeconds ?? 1) * 1000,
  run: runRedisProbe,
};
