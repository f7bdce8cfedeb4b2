import { z } from 'zod';
import { Judgements } from './check';
import { TargetStatus } from './target-status';

/** Rates over one rolling window (1 min, 5 min, 1 h), computed from counter deltas. */
const RedisRollingRate = z.object({
  /** The window asked for, in seconds (60, 300, 3600). */
  windowSeconds: z.number(),
  /** How much of it the samples since the last counter reset actually cover, in seconds. */
  coveredSeconds: z.number(),
  hitRate: z.number().nullable(),
  lookups: z.number().int().nullable(),
  opsPerSec: z.number().nullable(),
  evictedKeysPerSec: z.number().nullable(),
});
type RedisRollingRate = z.infer<typeof RedisRollingRate>;

/**
 * One sample of a Redis target: the counters of the last window (since the previous sample),
 * rolling windows, and the gauges INFO reports. A field is null when the server did not report
 * it (managed Redis leaves sections out) or when there is no window yet (first sample, reset).
 */
export const RedisSample = z.object({
  sampledAt: z.string(),
  /** Real elapsed time since the previous sample, in seconds; null on a first sample or after a reset. */
  windowSeconds: z.number().nullable(),
  /** keyspace_hits / (hits + misses) over the window; null when the window saw no lookups. */
  hitRate: z.number().nullable(),
  lookups: z.number().int().nullable(),
  hits: z.number().int().nullable(),
  misses: z.number().int().nullable(),
  /** Since the server started (or since CONFIG RESETSTAT): shown apart, never as the current rate. */
  lifetimeHitRate: z.number().nullable(),
  lifetimeLookups: z.number().int().nullable(),
  rolling: z.object({ '1m': RedisRollingRate, '5m': RedisRollingRate, '1h': RedisRollingRate }),
  /** Commands per second over the window, Preflight's own INFO/PING excluded. */
  opsPerSec: z.number().nullable(),
  commands: z.number().int().nullable(),
  usedMemoryBytes: z.number().nullable(),
  usedMemoryRssBytes: z.number().nullable(),
  /** null when maxmemory is 0 (no limit) or unknown. */
  maxMemoryBytes: z.number().nullable(),
  /** used_memory / maxmemory; null unless a limit is set. */
  memoryUtilization: z.number().nullable(),
  maxMemoryPolicy: z.string().nullable(),
  fragmentationRatio: z.number().nullable(),
  evictedKeys: z.number().int().nullable(),
  evictedKeysPerSec: z.number().nullable(),
  expiredKeys: z.number().int().nullable(),
  expiredKeysPerSec: z.number().nullable(),
  connectedClients: z.number().int().nullable(),
  blockedClients: z.number().int().nullable(),
  maxClients: z.number().int().nullable(),
  /** rejected_connections since start (INFO counter). */
  rejectedConnections: z.number().int().nullable(),
  rejectedConnectionsInWindow: z.number().int().nullable(),
  keys: z.number().int().nullable(),
  pingMs: z.number(),
  /** Round trip of the INFO requests of this sample, in milliseconds. */
  infoMs: z.number(),
  version: z.string().nullable(),
  role: z.string().nullable(),
  mode: z.string().nullable(),
  uptimeSeconds: z.number().nullable(),
  runId: z.string().nullable(),
  /** True when the counters restarted since the previous sample (new run_id, uptime or a counter went down). */
  reset: z.boolean(),
  resetReason: z.string().nullable(),
  /** INFO sections the server did not return (they read as unknown, not zero). */
  unknownSections: z.array(z.string()),
});
export type RedisSample = z.infer<typeof RedisSample>;

export const RedisTick = z.object({
  targetId: z.string(),
  at: z.string(),
  status: z.enum(['up', 'down', 'skipped']),
  sample: RedisSample.nullable(),
  error: z.string().nullable(),
  /** The catalogue checks' verdicts on this sample (tiles take their colour from these). */
  judgements: Judgements.default(null),
});
export type RedisTick = z.infer<typeof RedisTick>;

export const RedisThresholds = z.object({
  /** Minimum acceptable hit rate, 0..1 (StartInsight: 0.8). */
  hitRate: z.number().min(0).max(1).default(0.8),
  /** Fewer lookups than this in the window and the hit-rate check does not judge. */
  minLookups: z.number().int().min(1).max(10_000_000).default(100),
  /** used_memory / maxmemory above this fails (0.8). */
  memoryUtilization: z.number().min(0).max(1).default(0.8),
});
export type RedisThresholds = z.infer<typeof RedisThresholds>;

export const RedisTarget = z.object({
  targetId: z.string(),
  /** Connection URL with the password masked; the real URL never leaves the engine. */
  label: z.string(),
  /** Short salted fingerprint of the full URL: tells apart two watches whose masked labels are equal. */
  fingerprint: z.string(),
  intervalMs: z.number().int(),
  status: TargetStatus,
  thresholds: RedisThresholds,
  skippedTicks: z.number().int(),
});
export type RedisTarget = z.infer<typeof RedisTarget>;
