/**
 * Samples one database on a fixed interval. A tick that finds the previous sample still
 * running is skipped and counted, never queued (DESIGN.md §3). A failed sample reports the
 * target as down; the next tick reconnects, so the UI recovers by itself.
 */
import type { PgTick, SessionRow } from '../../../shared/schemas/postgres';
import { ProbeClient, sampleActivity } from '../probes/postgres';
import { listSessions } from '../probes/postgres/sessions';
import { RingBuffer } from '../util/ring-buffer';

export interface PgWatcherOptions {
  targetId: string;
  url: string;
  intervalMs: number;
  budget: number | null;
  planLimit?: number | null;
  historyLimit?: number;
  onTick: (tick: PgTick) => void;
}

export class PgWatcher {
  readonly client: ProbeClient;
  readonly history: RingBuffer<PgTick>;
  private timer: NodeJS.Timeout | null = null;
  private inFlight = false;
  private listing: Promise<SessionRow[]> | null = null;
  skippedTicks = 0;

  constructor(private readonly options: PgWatcherOptions) {
    this.client = new ProbeClient(options.url);
    // 24 h at the default 5 s interval.
    this.history = new RingBuffer<PgTick>(options.historyLimit ?? 17_280);
  }

  get targetId(): string {
    return this.options.targetId;
  }
  get intervalMs(): number {
    return this.options.intervalMs;
  }
  get budget(): number | null {
    return this.options.budget;
  }
  get planLimit(): number | null {
    return this.options.planLimit ?? null;
  }
  get label(): string {
    return this.client.label;
  }

  start(): void {
    if (this.timer) return;
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
  }

  async tick(): Promise<PgTick> {
    const at = new Date().toISOString();
    if (this.inFlight || this.listing) {
      this.skippedTicks++;
      return this.publish({ targetId: this.targetId, at, status: 'skipped', sample: null, error: 'previous sample still running; tick skipped' });
    }
    this.inFlight = true;
    try {
      const sample = await sampleActivity(this.client, { budget: this.options.budget, planLimit: this.options.planLimit ?? null });
      return this.publish({ targetId: this.targetId, at: sample.sampledAt, status: 'up', sample, error: null });
    } catch (err) {
      return this.publish({ targetId: this.targetId, at, status: 'down', sample: null, error: err instanceof Error ? err.message : String(err) });
    } finally {
      this.inFlight = false;
    }
  }

  /**
   * The session list shares the sampling connection: concurrent callers (several windows) get
   * the same listing, and a tick that finds a listing running is skipped like any busy tick.
   */
  sessions(): Promise<SessionRow[]> {
    this.listing ??= listSessions(this.client).finally(() => {
      this.listing = null;
    });
    return this.listing;
  }

  private publish(tick: PgTick): PgTick {
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
