/**
 * Verdicts and tones for the faces that show one target (the Postgres and Redis pages, their
 * watchers, `preflight pg activity` and `preflight redis`): the catalogue definitions judge the
 * sample with the same thresholds `preflight check` uses, and the tone follows the status. A
 * face never colours a figure from its own numbers.
 */
import type { CheckStatus, Judgement, Tone } from '../../../shared/schemas/check';
import type { ActivitySample } from '../../../shared/schemas/postgres';
import type { RedisSample, RedisThresholds } from '../../../shared/schemas/redis';
import { evaluateDefinition, type CheckDefinition } from './define';
import idleInTransaction from './postgres/idle-in-transaction';
import lockWaits from './postgres/lock-waits';
import poolUtilization from './postgres/pool-utilization';
import { redisChecks, type HitRateWindow } from './redis';

export function toneOf(status: CheckStatus): Tone {
  return status === 'pass' ? 'ok' : status === 'warn' ? 'warn' : status === 'fail' ? 'bad' : 'neutral';
}

const judgement = (v: { status: CheckStatus; summary: string }): Judgement => ({ status: v.status, tone: toneOf(v.status), summary: v.summary });

/** What a watcher or `pg activity` is told about the app's connection budget. */
export interface PostgresLimits {
  budget: number | null;
}

/** pg.pool-utilization, pg.idle-in-transaction and pg.lock-waits on one activity sample, with their default bands. */
export function judgePostgres(sample: ActivitySample, limits: PostgresLimits): Record<string, Judgement> {
  const expectations = { postgres: { connectionBudget: limits.budget ?? undefined } };
  const defs: CheckDefinition<'postgres'>[] = [poolUtilization, idleInTransaction, lockWaits];
  return Object.fromEntries(defs.map((def) => [def.id, judgement(evaluateDefinition(def, { postgres: sample }, expectations, {}))]));
}

/** The four Redis checks on one sample (redis.ts maps the watcher's thresholds onto the definitions). */
export function judgeRedis(sample: RedisSample, thresholds: RedisThresholds, window: HitRateWindow = 'sample'): Record<string, Judgement> {
  return Object.fromEntries(redisChecks(sample, thresholds, window).map((r) => [r.id, judgement(r)]));
}
