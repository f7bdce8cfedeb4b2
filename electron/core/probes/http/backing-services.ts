/**
 * Preflight's own direct look at the services /health/ready claims to check, taken at the same
 * moment: Postgres through the read-only probe client (SELECT 1), Redis with a single PING.
 */
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import type { DirectProbe } from '../../../../shared/schemas/http';
import { scrubMessage } from '../../util/redact';
import { ProbeClient } from '../postgres';

export async function probePostgresDirect(url: string, timeoutMs: number): Promise<DirectProbe> {
  const started = performance.now();
  const client = new ProbeClient(url, { connectTimeoutMs: timeoutMs, statementTimeoutMs: Math.min(timeoutMs, 2000) });
  try {
    await client.query('SELECT 1');
    return { ok: true, latencyMs: performance.now() - started, error: null };
  } catch (err) {
    return { ok: false, latencyMs: performance.now() - started, error: scrubMessage((err as Error).message) };
  } finally {
    await client.close();
  }
}

export async function probeRedisDirect(url: string, timeoutMs: number): Promise<DirectProbe> {
  const started = performance.now();
  // No offline queue, no retries: a PING either answers now or the probe says why not.
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: timeoutMs, retryStrategy: () => null, commandTimeout: timeoutMs });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return { ok: true, latencyMs: performance.now() - started, error: null };
  } catch (err) {
    return { ok: false, latencyMs: performance.now() - started, error: scrubMessage((err as Error).message || 'Redis did not answer') };
  } finally {
    redis.disconnect();
  }
}
