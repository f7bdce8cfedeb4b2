/**
 * Samples one Redis on a fixed interval over one connection. A tick that finds the previous
 * sample still running is skipped and counted, never queued (DESIGN.md §3). While the server is
 * down each tick fails at once (no offline queue) and reports down; ioredis reconnects in the
 * background with capped jittered backoff, so the loop recovers by itself.
 */
import type { CheckResult } from '../../../shared/schemas/check';
import type { RedisThresholds, RedisTick } from '../../../shared/schemas/redis';
import { redisChecks, type HitRateWindow } from '../checks/redis';
import { RateTracker, RedisProbeClient, sampleRedis } from '../probes/redis';
import { RingBuffer } from '../util/ring-buffer';

export interface RedisWatcherOptions {
  targetId: string;
  url: string;
  intervalMs: number;
  thresholds: RedisThresholds;
  historyLimit?: number;
  maxReconnectDelayMs?: number;
  onTick: (tick: RedisTick) => void;
}

export class RedisWatcher {
  readonly client: RedisProbeClient;
  readonly history: RingBuffer<RedisTick>;
  private readonly tracker = new RateTracker();
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  skippedTicks = 0;

  constructor(private readonly options: RedisWatcherOptions) {
    this.client = new RedisProbeClient(options.url, { reconnect: true, maxReconnectDelayMs: options.maxReconnectDelayMs ?? Math.min(10_000, options.intervalMs) });
    // 24 h at the default 5 s interval.
    this.history = new RingBuffer<RedisTick>(options.historyLimit ?? 17_280);
  }

  get targetId(): string {
    return this.options.targetId;
  }
  get intervalMs(): number {
    return this.options.intervalMs;
  }
  get thresholds(): RedisThresholds {
    return this.options.thresholds;
  }
  get label(): string {
    return this.client.label;
  }

  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
  }

  async tick(): Promise<RedisTick> {
    const at = new Date().toISOString();
    if (this.inFlight) {
      this.skippedTicks++;
      return this.publish({ targetId: this.targetId, at, status: 'skipped', sample: null, error: 'previous sample still running; tick skipped' });
    }
    this.inFlight = true;
    try {
      const sample = await sampleRedis(this.client, this.tracker);
      return this.publish({ targetId: this.targetId, at: sample.sampledAt, status: 'up', sample, error: null });
    } catch (err) {
      return this.publish({ targetId: this.targetId, at, status: 'down', sample: null, error: err instanceof Error ? err.message : String(err) });
    } finally {
      this.inFlight = false;
    }
  }

  /** The checks over the newest sample; the hit rate over the 5 min rolling window by default. */
  checks(window: HitRateWindow = '5m'): CheckResult[] | null {
    const last = this.history.last(720).reverse().find((t) => t.sample);
    return last?.sample ? redisChecks(last.sample, this.options.thresholds, window) : null;
  }

  private publish(tick: RedisTick): RedisTick {
    this.history.push(tick);
    this.options.onTick(tick);
    return tick;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.client.close();
  }
}
