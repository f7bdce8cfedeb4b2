/**
 * What a launch watch samples for one environment: one loop per target, each with its own
 * interval, built from the profile (secrets resolved here, kept in memory only). Active probes
 * are never among them (the loops take SchedulableProbeId), and HTTP touches only the health
 * endpoints. A loop can be rebuilt (new connections) after sleep or a clock jump.
 */
import { httpExpectationsFor } from '../profile/http-expectations';
import { PROBES } from '../probes/registry';
import { PollPolicy } from '../probes/http';
import { ConfigError, findEnvironment, runChecks } from '../engine/run-checks';
import type { LoopTick } from '../monitor/sampling-loop';
import { PgWatcher } from '../monitor/pg-watcher';
import { RedisWatcher } from '../monitor/redis-watcher';
import type { LoadedProfile } from '../profile/load';
import type { Environment } from '../profile/schema';
import { resolveSecret, resolveUrl, SecretUnavailableError } from '../profile/secrets';
import { redisThresholdsFrom } from '../checks/redis';
import { postgresMetrics, redisMetrics, type MetricValues } from './metrics';
import { CheckRunLoop, HealthLoop, IndexLoop, SentryLoop, type HealthPath } from './samplers';
import pgIndexes from '../checks/postgres/indexes';
import { SentryStatsClient } from './sentry-client';

export type TargetName = 'postgres' | 'indexes' | 'redis' | 'api' | 'sentry' | 'checks';

export interface WatchIntervals {
  postgres: number;
  indexes: number;
  redis: number;
  api: number;
  sentry: number;
  checks: number;
}

/** Defaults (ms): Postgres 5 s, index state 5 min, Redis 5 s, health 10 s, Sentry 1 min, passive check run 15 min. */
export const DEFAULT_INTERVALS: WatchIntervals = { postgres: 5000, indexes: 300_000, redis: 5000, api: 10_000, sentry: 60_000, checks: 900_000 };

/** Target names `--intervals` accepts, in the order the docs list them. */
export const INTERVAL_TARGETS = Object.keys(DEFAULT_INTERVALS) as (keyof WatchIntervals)[];

/** What the watch needs of a loop (SamplingLoop and its subclasses): one tick at a time, skips counted. */
export interface AnyLoop {
  tick(): Promise<LoopTick<{ sampledAt: string }>>;
  stop(): Promise<void>;
  readonly skippedTicks: number;
}

export interface WatchTarget {
  name: TargetName;
  label: string;
  intervalMs: number;
  loop: AnyLoop;
  /** Metric values of an answered tick. */
  values(tick: LoopTick<{ sampledAt: string }>): MetricValues;
  /** What a down target reads as (an unreachable API is "not ready"; a down database has pg.up 0). */
  downValues: MetricValues;
  /** Replaces the loop with a fresh one (new connections). */
  rebuild(): Promise<void>;
  /** The passive check run's result, for the check-run event. */
  checkRun?(tick: LoopTick<{ sampledAt: string }>): { score: number; verdict: string; failing: string[] } | null;
}

const noTick = () => undefined;

function healthPathsOf(loaded: LoadedProfile): HealthPath[] {
  const health = loaded.profile.expectations.http?.health ?? [];
  if (health.length) return health.map((h) => ({ id: h.id, path: h.path, status: h.status, unhealthyStatus: h.whenUnhealthy?.status ?? null }));
  // No health list in the profile: StartInsight's conventional endpoints.
  return [
    { id: 'basic', path: '/health', status: 200, unhealthyStatus: null },
    { id: 'ready', path: '/health/ready', status: 200, unhealthyStatus: 503 },
    { id: 'live', path: '/health/live', status: 200, unhealthyStatus: null },
  ];
}

async function secret(env: Environment, name: string, processEnv: NodeJS.ProcessEnv): Promise<string> {
  const source = env.secrets[name];
  if (!source) throw new ConfigError(`secret "${name}" is not defined in environment "${env.name}"`);
  return resolveSecret(name, source, processEnv);
}

export interface BuildOptions {
  loaded: LoadedProfile;
  environment: string;
  intervals: WatchIntervals;
  /** The trailing window "per hour" rates are computed over (http.5xx_per_hour, sentry.errors_per_hour). */
  rateWindowMs: number;
  env?: NodeJS.ProcessEnv;
}

/** Builds every target the environment has; a secret that does not resolve is a ConfigError (exit 2). */
export async function buildTargets(o: BuildOptions): Promise<WatchTarget[]> {
  const env = findEnvironment(o.loaded, o.environment);
  const processEnv = o.env ?? process.env;
  const exp = o.loaded.profile.expectations;
  const targets: WatchTarget[] = [];
  try {
    if (env.targets.postgres) {
      const url = await resolveUrl(env.targets.postgres.url, env, processEnv);
      const make = () => new PgWatcher({ targetId: 'postgres', intervalMs: o.intervals.postgres, url, budget: exp.postgres?.connectionBudget ?? null, historyLimit: 2, onTick: noTick });
      targets.push(loopTarget('postgres', o.intervals.postgres, make, (t) => postgresMetrics((t.sample as never)), { 'pg.up': 0 }));
      // The index state on its own slow loop, judged as the pg.indexes check judges it.
      const expected = pgIndexes.readExpectations(exp).postgres.indexes.filter((i) => !i.optional);
      const makeIndexes = () => new IndexLoop({ targetId: 'indexes', intervalMs: o.intervals.indexes, url, historyLimit: 2, onTick: noTick }, expected);
      targets.push(loopTarget('indexes', o.intervals.indexes, makeIndexes, (t) => (t.sample as unknown as { values: MetricValues }).values, {}));
    }
    if (env.targets.redis) {
      const url = await resolveUrl(env.targets.redis.url, env, processEnv);
      const thresholds = redisThresholdsFrom(exp);
      const minLookups = thresholds.minLookups;
      const make = () => new RedisWatcher({ targetId: 'redis', intervalMs: o.intervals.redis, url, thresholds, historyLimit: 2, onTick: noTick });
      targets.push(loopTarget('redis', o.intervals.redis, make, (t) => redisMetrics(t.sample as never, minLookups), { 'redis.up': 0 }));
    }
    if (env.targets.api) {
      const baseUrl = env.targets.api.baseUrl;
      const paths = healthPathsOf(o.loaded);
      const policy = new PollPolicy(httpExpectationsFor(exp, env));
      const make = () => new HealthLoop({ targetId: 'api', intervalMs: o.intervals.api, baseUrl, paths, policy, rateWindowMs: o.rateWindowMs, historyLimit: 2, onTick: noTick });
      const down: MetricValues = { 'http.ready_up': 0, 'http.health_up': 0, 'http.live_up': 0 };
      targets.push(loopTarget('api', o.intervals.api, make, (t) => (t.sample as unknown as { values: MetricValues }).values, down));
    }
    if (env.targets.sentry) {
      const s = env.targets.sentry;
      const token = await secret(env, s.token.secret, processEnv);
      const make = () => new SentryLoop({ targetId: 'sentry', intervalMs: o.intervals.sentry, historyLimit: 2, onTick: noTick }, new SentryStatsClient({ baseUrl: s.baseUrl, organization: s.organization, projects: s.projects, token }), o.rateWindowMs);
      targets.push(loopTarget('sentry', o.intervals.sentry, make, (t) => (t.sample as unknown as { values: MetricValues }).values, {}));
    }
  } catch (err) {
    if (err instanceof SecretUnavailableError) throw new ConfigError(err.message);
    throw err;
  }
  // The passive check run: every probe except HTTP (its scheduled form is the health loop above;
  // the one-shot HTTP probes call the webhook and the Sentry test route) and the active ones.
  const notPolled = (why: string) => ({ notApplicable: () => why });
  const probes = {
    http: { ...PROBES.http, ...notPolled('the launch watch polls only the health endpoints') },
    ratelimit: { ...PROBES.ratelimit, ...notPolled('active probes never run on a schedule') },
    sse: { ...PROBES.sse, ...notPolled('active probes never run on a schedule') },
  };
  const run = async () => {
    const report = await runChecks({ loaded: o.loaded, environment: o.environment, allowActive: false, store: null, probes, env: processEnv });
    return { score: report.score, verdict: report.verdict, failing: report.results.filter((r) => r.status === 'fail' || r.status === 'error').map((r) => r.id) };
  };
  const makeChecks = () => new CheckRunLoop({ targetId: 'checks', intervalMs: o.intervals.checks, historyLimit: 2, onTick: noTick }, run);
  const checks = loopTarget('checks', o.intervals.checks, makeChecks, (t) => (t.sample as unknown as { values: MetricValues }).values, {});
  checks.checkRun = (t) => (t.sample ? { score: (t.sample as never as { score: number }).score, verdict: (t.sample as never as { verdict: string }).verdict, failing: (t.sample as never as { failing: string[] }).failing } : null);
  targets.push(checks);
  return targets;
}

function loopTarget(name: TargetName, intervalMs: number, make: () => AnyLoop, values: WatchTarget['values'], downValues: MetricValues): WatchTarget {
  const target: WatchTarget = {
    name,
    label: name,
    intervalMs,
    loop: make(),
    values,
    downValues,
    async rebuild() {
      const old = target.loop;
      target.loop = make();
      await old.stop().catch(() => undefined);
    },
  };
  const label = (target.loop as unknown as { label?: string }).label;
  if (label) target.label = `${name} ${label}`;
  return target;
}
