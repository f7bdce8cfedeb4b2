/**
 * Preflight's own direct look at the services /health/ready claims to check, taken at the same
 * moment: Postgres through the read-only probe client (SELECT 1), Redis with a single PING
 * through the Redis probe client (no SELECT, no CLIENT SETINFO, no ready-check INFO). A
 * watcher passes its long-lived clients so a scheduled run opens no new connection.
 */
import { performance } from 'node:perf_hooks';
import type { DirectProbe } from '../../../../shared/schemas/http';
import { scrubMessage } from '../../util/redact';
import { ProbeClient } from '../postgres';
import { RedisProbeClient } from '../redis/client';

export async function probePostgresDirect(target: string | ProbeClient, timeoutMs: number): Promise<DirectProbe> {
  const started = performance.now();
  const owned = typeof target === 'string';
  let client: ProbeClient | null = null;
  try {
    client = owned ? new ProbeClient(target, { connectTimeoutMs: timeoutMs, statementTimeoutMs: Math.min(timeoutMs, 2000) }) : target;
    await client.query('SELECT 1');
    return { ok: true, latencyMs: performance.now() - started, error: null };
  } catch (err) {
    return { ok: false, latencyMs: performance.now() - started, error: scrubMessage((err as Error).message) };
  } finally {
    if (owned) await client?.close();
  }
}

export async function probeRedisDirect(target: string | RedisProbeClient, timeoutMs: number): Promise<DirectProbe> {
  const started = performance.now();
  const owned = typeof target === 'string';
  const client = owned ? new RedisProbeClient(target, { connectTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs, reconnect: false }) : target;
  try {
    await client.ping();
    return { ok: true, latencyMs: performance.now() - started, error: null };
  } catch (err) {
    return { ok: false, latencyMs: performance.now() - started, error: scrubMessage((err as Error).message || 'Redis did not answer') };
  } finally {
    if (owned) await client.close();
  }
}
