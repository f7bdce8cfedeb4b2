/**
 * The whole sample stack in one call: a throw-away Postgres cluster and redis-server (from the
 * binaries installed on the machine) plus the StartInsight-like API over them.
 */
import { startPostgres, type EphemeralPostgres } from './ephemeral/postgres';
import { startRedis, type EphemeralRedis } from './ephemeral/redis';
import { startSampleApi, type SampleApi, type SampleApiOptions } from './api/server';

export interface DemoStack {
  postgres: EphemeralPostgres;
  redis: EphemeralRedis;
  api: SampleApi;
  stop(): Promise<void>;
}

export async function startDemoStack(options: Omit<SampleApiOptions, 'pgUrl' | 'redisUrl'> & { maxConnections?: number; redisMaxMemory?: string } = {}): Promise<DemoStack> {
  const { maxConnections, redisMaxMemory, ...apiOptions } = options;
  // A maxmemory limit like a managed plan's, so redis.memory has something to compare against.
  const [postgres, redis] = await Promise.all([startPostgres({ maxConnections: maxConnections ?? 60 }), startRedis({ args: ['--maxmemory', redisMaxMemory ?? '256mb'] })]);
  try {
    const api = await startSampleApi({ ...apiOptions, pgUrl: postgres.url, redisUrl: redis.url });
    return {
      postgres,
      redis,
      api,
      async stop() {
        await api.close();
        await Promise.all([postgres.destroy(), redis.destroy()]);
      },
    };
  } catch (err) {
    await Promise.all([postgres.destroy(), redis.destroy()]);
    throw err;
  }
}
