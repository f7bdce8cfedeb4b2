/**
 * Samples one database on a fixed interval over one dedicated read-only connection (the loop's
 * skip-never-queue and down/recover behaviour is in sampling-loop.ts).
 */
import type { Judgement } from '../../../shared/schemas/check';
import type { ActivitySample, SessionRow } from '../../../shared/schemas/postgres';
import { judgePostgres } from '../checks/judge';
import { ProbeClient, sampleActivity } from '../probes/postgres';
import { listSessions, readRawQuery } from '../probes/postgres/sessions';
import { SamplingLoop, type SamplingLoopOptions } from './sampling-loop';

export interface PgWatcherOptions extends SamplingLoopOptions<ActivitySample> {
  url: string;
  budget: number | null;
  planLimit?: number | null;
  /** Named in a cancel/terminate confirmation (default: the database name). */
  environment?: string;
}

export class PgWatcher extends SamplingLoop<ActivitySample> {
  readonly client: ProbeClient;
  private listing: Promise<SessionRow[]> | null = null;
  private revealing: Promise<unknown> | null = null;
  /** Set again when the same database is watched under a named environment. */
  environment: string;

  constructor(private readonly options: PgWatcherOptions) {
    super(options, 'postgres');
    this.client = new ProbeClient(options.url);
    this.environment = options.environment ?? this.client.identity.database;
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

  protected override judge(sample: ActivitySample): Record<string, Judgement> {
    return judgePostgres(sample, { budget: this.options.budget });
  }

  protected override busy(): boolean {
    return super.busy() || this.listing !== null || this.revealing !== null;
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

  /** One session's raw query text (the UI's per-row reveal), on the same connection; a tick meanwhile is skipped. */
  rawQuery(pid: number): Promise<{ query: string; queryTruncated: boolean } | null> {
    const read = readRawQuery(this.client, pid);
    const settled = read.then(
      () => undefined,
      () => undefined,
    );
    this.revealing = settled;
    void settled.then(() => {
      if (this.revealing === settled) this.revealing = null;
    });
    return read;
  }

  protected override release(): Promise<void> {
    return this.client.close();
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.client.close();
  }
}
