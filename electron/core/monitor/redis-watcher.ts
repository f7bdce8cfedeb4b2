/**
 * Samples one Redis on a fixed interval over one connection (skip-never-queue in
 * sampling-loop.ts). While the server is
 * down each tick fails at once (no offline queue) and reports down; ioredis reconnects in the
 * background with capped jittered backoff, so the loop recovers by itself.
 */
import type { CheckResult, Judgement } from '../../../shared/schemas/check';
import { judgeRedis } from '../checks/judge';
import type { RedisSample, RedisThresholds } from '../../../shared/schemas/redis';
import { redisChecks, type HitRateWindow } from '../checks/redis';
import { RateTracker, RedisProbeClient, sampleRedis } from '../probes/redis';
import { SamplingLoop, type SamplingLoopOptions } from './sampling-loop';

export interface RedisWatcherOptions extends SamplingLoopOptions<RedisSample> {
  url: string;
  thresholds: RedisThresholds;
  maxReconnectDelayMs?: number;
}

export class RedisWatcher extends SamplingLoop<RedisSample> {
  readonly client: RedisProbeClient;
  private readonly tracker = new RateTracker();

  constructor(private readonly options: RedisWatcherOptions) {
    super(options, 'redis');
    this.client = new RedisProbeClient(options.url, { reconnect: true, maxReconnectDelayMs: options.maxReconnectDelayMs ?? Math.min(10_000, options.intervalMs) });
  }

  get thresholds(): RedisThresholds {
    return this.options.thresholds;
  }
  get label(): string {
    return this.client.label;
  }

  protected sample(): Promise<RedisSample> {
    return sampleRedis(this.client, this.tracker);
  }

  protected override judge(sample: RedisSample): Record<string, Judgement> {
    return judgeRedis(sample, this.options.thresholds, 'sample');
  }

  /** The checks over the newest sample; the hit rate over the 5 min rolling window by default. */
  checks(window: HitRateWindow = '5m'): CheckResult[] | null {
    const last = this.history.last(720).reverse().find((t) => t.sample);
    return last?.sample ? redisChecks(last.sample, this.options.thresholds, window) : null;
  }

  protected override release(): Promise<void> {
    return this.client.close();
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.client.close();
  }
}
