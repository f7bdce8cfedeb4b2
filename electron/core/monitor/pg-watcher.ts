/**
 * Samples one database on a fixed interval over one dedicated read-only connection (the loop's
 * skip-never-queue and down/recover behaviour is in sampling-loop.ts).
 */
import type { ActivitySample, SessionRow } from '../../../shared/schemas/postgres';
import { ProbeClient, sampleActivity } from '../probes/postgres';
import { listSessions } from '../probes/postgres/sessions';
import { SamplingLoop, type SamplingLoopOptions } from './sampling-loop';

export interface PgWatcherOptions extends SamplingLoopOptions<ActivitySample> {
  url: string;
  budget: number | null;
  planLimit?: number | null;
}

export class PgWatcher extends SamplingLoop<ActivitySample> {
  readonly client: ProbeClient;
  private listing: Promise<SessionRow[]> | null = null;

  constructor(private readonly options: PgWatcherOptions) {
    super(options, 'pg.activity');
    this.client = new ProbeClient(options.url);
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

  protected sample(): Promise<ActivitySample> {
    return sampleActivity(this.client, { budget: this.options.budget, planLimit: this.options.planLimit ?? null });
  }

  protected override busy(): boolean {
    return super.busy() || this.listing !== null;
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

  protected override release(): Promise<void> {
    return this.client.close();
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.client.close();
  }
}
