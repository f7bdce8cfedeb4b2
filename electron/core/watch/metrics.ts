/**
 * The metrics a launch watch publishes: one table naming each series, its unit, where it comes
 * from and — when a readiness check judges the same quantity — that check and the expectation
 * it reads its threshold from. An alert rule on such a metric takes the check's threshold (the
 * same profile field the check evaluates against), never a copy of the number, so the two can
 * never disagree. The profile loader validates `alerts[].metric` against this table.
 */
import type { ActivitySample } from '../../../shared/schemas/postgres';
import type { RedisSample } from '../../../shared/schemas/redis';
import idleInTransaction from '../checks/postgres/idle-in-transaction';
import lockWaits from '../checks/postgres/lock-waits';
import poolUtilization from '../checks/postgres/pool-utilization';
import evictions from '../checks/redis/evictions';
import hitRate from '../checks/redis/hit-rate';
import memory from '../checks/redis/memory';
import type { Expectations } from '../profile/schema';

export type Op = '>' | '>=' | '<' | '<=';
export type MetricSource = 'postgres' | 'redis' | 'http' | 'sentry' | 'checks';
export type Band = 'warn' | 'fail';

export interface CheckThreshold {
  op: Op;
  value: number;
  /** The profile field the check reads it from, e.g. expectations.postgres.poolUtilization.fail. */
  field: string;
}

export interface MetricDef {
  name: string;
  unit: string;
  source: MetricSource;
  description: string;
  /** The readiness check that judges the same quantity (its threshold is the alert's default). */
  check: string | null;
  /** The check's threshold as the profile sets it; null when the profile sets none for this metric. */
  threshold: ((e: Expectations, band: Band) => CheckThreshold | null) | null;
  /** How far back across the threshold the value must come before a firing alert resolves. */
  hysteresis: number;
}

// The checks' own expectations, defaults filled in by their definitions (one place per threshold).
const pgBands = (e: Expectations) => ({ ...poolUtilization.readExpectations(e).postgres, ...idleInTransaction.readExpectations(e).postgres, ...lockWaits.readExpectations(e).postgres });
const redisExp = (e: Expectations) => ({ ...hitRate.readExpectations(e).redis, ...evictions.readExpectations(e).redis, ...memory.readExpectations(e).redis });

export const METRICS: readonly MetricDef[] = [
  {
    name: 'pg.connections',
    unit: 'connections',
    source: 'postgres',
    description: 'client sessions in pg_stat_activity (Preflight’s own excluded)',
    check: 'pg.pool-utilization',
    threshold: (e) => {
      const budget = e.postgres?.connectionBudget;
      return budget === undefined ? null : { op: '>', value: budget, field: 'expectations.postgres.connectionBudget' };
    },
    hysteresis: 1,
  },
  {
    name: 'pg.utilization',
    unit: 'ratio',
    source: 'postgres',
    description: 'sessions / connections non-superusers can use',
    check: 'pg.pool-utilization',
    threshold: (e, band) => ({ op: '>=', value: pgBands(e).poolUtilization[band], field: `expectations.postgres.poolUtilization.${band}` }),
    hysteresis: 0.02,
  },
  {
    name: 'pg.idle_in_transaction_max_seconds',
    unit: 's',
    source: 'postgres',
    description: 'longest time a session has sat idle in a transaction',
    check: 'pg.idle-in-transaction',
    threshold: (e, band) => ({ op: '>=', value: pgBands(e).idleInTransactionSeconds[band], field: `expectations.postgres.idleInTransactionSeconds.${band}` }),
    hysteresis: 1,
  },
  {
    name: 'pg.lock_wait_max_seconds',
    unit: 's',
    source: 'postgres',
    description: 'longest lock wait of a blocked session',
    check: 'pg.lock-waits',
    threshold: (e, band) => ({ op: '>=', value: pgBands(e).lockWaitSeconds[band], field: `expectations.postgres.lockWaitSeconds.${band}` }),
    hysteresis: 0.5,
  },
  {
    name: 'redis.hit_rate',
    unit: 'ratio',
    source: 'redis',
    description: 'keyspace hits / lookups over the last minute (counter deltas); no value below the check’s minimum lookups',
    check: 'redis.hit-rate',
    threshold: (e) => ({ op: '<', value: redisExp(e).hitRateAtLeast, field: 'expectations.redis.hitRateAtLeast' }),
    hysteresis: 0.02,
  },
  {
    name: 'redis.evictions_per_minute',
    unit: 'keys/min',
    source: 'redis',
    description: 'evicted keys per minute over the last sample window',
    check: 'redis.evictions',
    threshold: (e) => ({ op: '>', value: redisExp(e).evictionsPerMinuteAtMost, field: 'expectations.redis.evictionsPerMinuteAtMost' }),
    hysteresis: 0,
  },
  {
    name: 'redis.memory_utilization',
    unit: 'ratio',
    source: 'redis',
    description: 'used_memory / maxmemory (no value without a limit)',
    check: 'redis.memory',
    threshold: (e, band) => ({ op: '>=', value: redisExp(e).memoryUsedRatio[band], field: `expectations.redis.memoryUsedRatio.${band}` }),
    hysteresis: 0.02,
  },
  { name: 'redis.up', unit: 'up', source: 'redis', description: '1 when Redis answered the last sample, 0 when not', check: null, threshold: null, hysteresis: 0 },
  {
    name: 'pg.indexes_unusable',
    unit: 'indexes',
    source: 'postgres',
    description: 'expected indexes (expectations.postgres.indexes, optional ones left out) missing, invalid or not ready; read every 5 min; no series when the profile lists none',
    check: 'pg.indexes',
    threshold: () => ({ op: '>', value: 0, field: 'expectations.postgres.indexes' }),
    hysteresis: 0,
  },
  { name: 'pg.invalid_indexes', unit: 'indexes', source: 'postgres', description: 'INVALID indexes in the database (a failed CREATE INDEX CONCURRENTLY leaves one), read every 5 min', check: null, threshold: null, hysteresis: 0 },
  { name: 'pg.up', unit: 'up', source: 'postgres', description: '1 when Postgres answered the last sample, 0 when not', check: null, threshold: null, hysteresis: 0 },
  {
    name: 'http.ready_up',
    unit: 'up',
    source: 'http',
    description: '1 when the readiness endpoint answered its healthy status, 0 otherwise',
    check: 'health.ready',
    threshold: () => ({ op: '<', value: 1, field: 'expectations.http.health[ready].status' }),
    hysteresis: 0,
  },
  {
    name: 'http.health_up',
    unit: 'up',
    source: 'http',
    description: '1 when the basic health endpoint answered its expected status',
    check: 'health.basic',
    threshold: () => ({ op: '<', value: 1, field: 'expectations.http.health[basic].status' }),
    hysteresis: 0,
  },
  {
    name: 'http.live_up',
    unit: 'up',
    source: 'http',
    description: '1 when the liveness endpoint answered its expected status',
    check: 'health.live',
    threshold: () => ({ op: '<', value: 1, field: 'expectations.http.health[live].status' }),
    hysteresis: 0,
  },
  { name: 'http.health_latency_ms', unit: 'ms', source: 'http', description: 'slowest health endpoint round trip of the poll', check: null, threshold: null, hysteresis: 0 },
  {
    name: 'http.5xx_per_hour',
    unit: 'responses/h',
    source: 'http',
    description: '5xx answers to the scheduled health polls over the rate window, per hour (readiness’s own designed 503 is http.ready_up)',
    check: null,
    threshold: null,
    hysteresis: 0,
  },
  { name: 'sentry.errors_per_hour', unit: 'errors/h', source: 'sentry', description: 'error events Sentry received for the profile’s projects over the rate window, per hour', check: null, threshold: null, hysteresis: 0 },
  { name: 'checks.score', unit: 'points', source: 'checks', description: 'readiness score of the passive check run (0–100)', check: null, threshold: null, hysteresis: 0 },
];

export const METRIC_BY_NAME: ReadonlyMap<string, MetricDef> = new Map(METRICS.map((m) => [m.name, m]));

export function unitOf(name: string): string {
  return METRIC_BY_NAME.get(name)?.unit ?? '';
}

export type MetricValues = Record<string, number | null>;

/** The Postgres metrics of one activity sample. */
export function postgresMetrics(s: ActivitySample): MetricValues {
  const waits = s.blocked.map((b) => b.waitingSeconds ?? 0);
  return {
    'pg.up': 1,
    'pg.connections': s.total,
    'pg.utilization': s.usableConnections > 0 ? s.total / s.usableConnections : 1,
    'pg.idle_in_transaction_max_seconds': s.longestIdleInTransactionSeconds ?? 0,
    'pg.lock_wait_max_seconds': waits.length ? Math.max(...waits) : 0,
  };
}

/** The Redis metrics of one sample; the hit rate only over enough lookups to judge (as the check). */
export function redisMetrics(s: RedisSample, minLookups: number): MetricValues {
  const minute = s.rolling['1m'];
  const hitRate = minute.hitRate !== null && (minute.lookups ?? 0) >= minLookups ? minute.hitRate : null;
  return {
    'redis.up': 1,
    'redis.hit_rate': hitRate,
    'redis.evictions_per_minute': s.evictedKeysPerSec === null ? null : s.evictedKeysPerSec * 60,
    'redis.memory_utilization': s.memoryUtilization,
  };
}
