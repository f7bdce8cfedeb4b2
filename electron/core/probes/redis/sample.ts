/**
 * One Redis sample: PING (timed), then INFO per section in one round trip, parsed and folded
 * into the target's RateTracker for windowed and rolling rates.
 */
import type { RedisSample } from '../../../../shared/schemas/redis';
import type { RedisProbeClient } from './client';
import { parseInfo, unknownSections, type RedisInfo } from './info';
import { lifetimeHitRate, RateTracker, type CounterSnapshot } from './rates';

export function countersOf(info: RedisInfo, atMs: number, ownCommands: number): CounterSnapshot {
  return {
    atMs,
    runId: info.server?.runId ?? null,
    uptimeSeconds: info.server?.uptimeSeconds ?? null,
    hits: info.stats?.keyspaceHits ?? null,
    misses: info.stats?.keyspaceMisses ?? null,
    commands: info.stats?.totalCommandsProcessed ?? null,
    evicted: info.stats?.evictedKeys ?? null,
    expired: info.stats?.expiredKeys ?? null,
    rejected: info.stats?.rejectedConnections ?? null,
    ownCommands,
  };
}

/** Combines a parsed INFO, its counters' window and the PING time into the public sample. */
export function buildSample(info: RedisInfo, counters: CounterSnapshot, tracker: RateTracker, timing: { pingMs: number; infoMs: number; sampledAt: string }): RedisSample {
  const update = tracker.push(counters);
  const w = update.window;
  const lifetime = lifetimeHitRate(counters);
  const maxMemory = info.memory?.maxMemoryBytes ?? null;
  const limit = maxMemory !== null && maxMemory > 0 ? maxMemory : null;
  const used = info.memory?.usedMemoryBytes ?? null;
  return {
    sampledAt: timing.sampledAt,
    windowSeconds: w?.seconds ?? null,
    hitRate: w?.hitRate ?? null,
    lookups: w?.lookups ?? null,
    hits: w?.hits ?? null,
    misses: w?.misses ?? null,
    lifetimeHitRate: lifetime.hitRate,
    lifetimeLookups: lifetime.lookups,
    rolling: update.rolling,
    opsPerSec: w?.opsPerSec ?? null,
    commands: w?.commands ?? null,
    usedMemoryBytes: used,
    usedMemoryRssBytes: info.memory?.usedMemoryRssBytes ?? null,
    maxMemoryBytes: limit,
    memoryUtilization: limit !== null && used !== null ? used / limit : null,
    maxMemoryPolicy: info.memory?.maxMemoryPolicy ?? null,
    fragmentationRatio: info.memory?.fragmentationRatio ?? null,
    evictedKeys: w?.evicted ?? null,
    evictedKeysPerSec: w?.evictedPerSec ?? null,
    expiredKeys: w?.expired ?? null,
    expiredKeysPerSec: w?.expiredPerSec ?? null,
    connectedClients: info.clients?.connectedClients ?? null,
    blockedClients: info.clients?.blockedClients ?? null,
    maxClients: info.clients?.maxClients ?? null,
    rejectedConnections: info.stats?.rejectedConnections ?? null,
    rejectedConnectionsInWindow: w?.rejected ?? null,
    keys: info.keyspace?.totalKeys ?? null,
    pingMs: timing.pingMs,
    infoMs: timing.infoMs,
    version: info.server?.version ?? null,
    role: info.replication?.role ?? null,
    mode: info.server?.mode ?? null,
    uptimeSeconds: info.server?.uptimeSeconds ?? null,
    runId: info.server?.runId ?? null,
    reset: update.reset,
    resetReason: update.resetReason,
    unknownSections: unknownSections(info),
  };
}

/** PING, then INFO by section, then the rates against what `tracker` saw before. */
export async function sampleRedis(client: RedisProbeClient, tracker: RateTracker): Promise<RedisSample> {
  const pingMs = await client.ping();
  const { replies, ownCommandsAtStats, ms } = await client.info();
  const atMs = performance.now();
  const info = parseInfo(replies);
  return buildSample(info, countersOf(info, atMs, ownCommandsAtStats), tracker, { pingMs, infoMs: ms, sampledAt: new Date().toISOString() });
}
