/**
 * /health, /health/live and /health/ready with StartInsight's exact bodies. Readiness really
 * asks Postgres (SELECT 1) and Redis (PING), each bounded by a timeout.
 * Twin `readinessIgnoresRedis`: Redis is reported healthy without being asked.
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { exceptionName } from './errors';
import type { Twins } from './twins';

const CHECK_TIMEOUT_MS = 1000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' })), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function check(work: () => Promise<unknown>): Promise<string> {
  try {
    await withTimeout(work(), CHECK_TIMEOUT_MS);
    return 'healthy';
  } catch (err) {
    return `unhealthy: ${exceptionName(err)}`;
  }
}

export const healthBody = () => ({ status: 'healthy', service: 'startinsight-api' });
export const liveBody = () => ({ status: 'alive' });

export async function readiness(pool: pg.Pool, redis: Redis, twins: Twins): Promise<{ status: number; body: unknown }> {
  const [database, redisState] = await Promise.all([
    check(() => pool.query('SELECT 1')),
    twins.readinessIgnoresRedis ? Promise.resolve('healthy') : check(() => redis.ping()),
  ]);
  const ready = database === 'healthy' && redisState === 'healthy';
  return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not_ready', checks: { database, redis: redisState } } };
}
