/**
 * The sampling loop every watcher shares (DESIGN.md §3): one sample per interval; a tick that
 * finds the previous sample still running is skipped and counted, never queued; a failed
 * sample reports the target as down and the next tick tries again, so a face recovers by itself —
 * except a failed login, which stops the loop (retrying credentials on a schedule trips lockouts).
 */
import type { Judgement } from '../../../shared/schemas/check';
import type { TargetStatus } from '../../../shared/schemas/target-status';
import { assertSchedulable, type SchedulableProbeId } from '../probes/active/guardrails';
import { AUTH_STOPPED_HINT, isAuthFailure } from '../util/auth-failure';
import { RingBuffer } from '../util/ring-buffer';
import { TargetHealth } from './target-health';

export interface LoopTick<S> {
  targetId: string;
  at: string;
  status: 'up' | 'down' | 'skipped';
  sample: S | null;
  error: string | null;
  /** The catalogue checks' verdicts on the sample (checks/judge.ts); null without a sample. */
  judgements: Record<string, Judgement> | null;
}

export interface SamplingLoopOptions<S> {
  targetId: string;
  intervalMs: number;
  /** Ticks kept in memory; the default is 24 h at a 5 s interval. */
  historyLimit?: number;
  onTick: (tick: LoopTick<S>) => void;
}

export abstract class SamplingLoop<S extends { sampledAt: string }> {
  readonly history: RingBuffer<LoopTick<S>>;
  skippedTicks = 0;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  private readonly health = new TargetHealth();

  /** `probeId` is what the loop runs on a schedule: an active probe is refused by the type and at run time. */
  constructor(private readonly loop: SamplingLoopOptions<S>, probeId: SchedulableProbeId) {
    assertSchedulable(probeId);
    this.history = new RingBuffer<LoopTick<S>>(loop.historyLimit ?? 17_280);
  }

  get targetId(): string {
    return this.loop.targetId;
  }
  get intervalMs(): number {
    return this.loop.intervalMs;
  }

  /** The state and last error any face can read on mount (`<feature>.status`). */
  get status(): TargetStatus {
    return this.health.snapshot();
  }

  /** Watching the same target again with another interval changes it, so the form and the chart agree. */
  setIntervalMs(ms: number): void {
    if (ms === this.loop.intervalMs) return;
    this.loop.intervalMs = ms;
    if (this.timer) {
      clearInterval(this.timer);
      this.timer = setInterval(() => void this.tick(), ms);
    }
  }

  /** Closes the connection after a failed login (the loop has stopped); watchers override it. */
  protected release(): Promise<void> {
    return Promise.resolve();
  }

  /** Takes one sample over the watcher's single connection. */
  protected abstract sample(): Promise<S>;

  /** The catalogue checks' verdicts on a sample, for the faces' tones (none by default). */
  protected judge(_sample: S): Record<string, Judgement> | null {
    return null;
  }

  /** True while the connection is in use; subclasses add their own on-demand work. */
  protected busy(): boolean {
    return this.inFlight;
  }

  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.loop.intervalMs);
  }

  async tick(): Promise<LoopTick<S>> {
    const at = new Date().toISOString();
    if (this.health.state === 'auth_failed') {
      return { targetId: this.targetId, at, status: 'down', sample: null, error: this.health.snapshot().lastError?.message ?? 'authentication failed', judgements: null };
    }
    if (this.busy()) {
      this.skippedTicks++;
      return this.publish({ targetId: this.targetId, at, status: 'skipped', sample: null, error: 'previous sample still running; tick skipped', judgements: null });
    }
    this.inFlight = true;
    try {
      const sample = await this.sample();
      this.health.ok(sample.sampledAt);
      return this.publish({ targetId: this.targetId, at: sample.sampledAt, status: 'up', sample, error: null, judgements: this.judge(sample) });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isAuthFailure(err)) {
        this.stopTimer();
        const stopped = `${message} ${AUTH_STOPPED_HINT}`;
        this.health.fail(at, stopped, true);
        void this.release().catch(() => undefined);
        return this.publish({ targetId: this.targetId, at, status: 'down', sample: null, error: stopped, judgements: null });
      }
      this.health.fail(at, message);
      return this.publish({ targetId: this.targetId, at, status: 'down', sample: null, error: message, judgements: null });
    } finally {
      this.inFlight = false;
    }
  }

  private publish(tick: LoopTick<S>): LoopTick<S> {
    this.history.push(tick);
    this.loop.onTick(tick);
    return tick;
  }

  protected stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
