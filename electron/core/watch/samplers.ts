/**
 * The launch watch's own sampling loops, on the shared SamplingLoop (skip-never-queue): the
 * health endpoints (GET only, pollable paths only), Sentry's error counts, and the periodic
 * passive check run, and the index state on its own slow loop. Postgres and Redis use the
 * existing PgWatcher and RedisWatcher.
 */
import type { HttpExchange } from '../../../shared/schemas/http';
import type { IndexExpectation } from '../../../shared/schemas/indexes';
import { evaluateIndexes } from '../checks/indexes';
import { ProbeClient } from '../probes/postgres';
import { readIndexCatalog } from '../probes/postgres/indexes';
import { PollPolicy, ScheduledHttpClient, type PollableRequest } from '../probes/http';
import { SamplingLoop, type SamplingLoopOptions } from '../monitor/sampling-loop';
import type { MetricValues } from './metrics';
import type { SentryStatsClient } from './sentry-client';

export interface HealthPath {
  id: 'basic' | 'live' | 'ready' | string;
  path: string;
  status: number;
  /** The status readiness answers by design when a dependency is down (not counted as a 5xx). */
  unhealthyStatus: number | null;
}

export interface HealthSample {
  sampledAt: string;
  exchanges: HttpExchange[];
  values: MetricValues;
}

/** A trailing window of event times, for "per hour" rates over a shorter or longer window. */
class RateWindow {
  private readonly events: { at: number; n: number }[] = [];
  constructor(readonly windowMs: number) {}
  add(at: number, n: number): void {
    if (n > 0) this.events.push({ at, n });
  }
  perHour(now: number): number {
    while (this.events.length && this.events[0]!.at <= now - this.windowMs) this.events.shift();
    const total = this.events.reduce((a, e) => a + e.n, 0);
    return (total * 3_600_000) / this.windowMs;
  }
}

const UP_METRIC: Record<string, string> = { basic: 'http.health_up', live: 'http.live_up', ready: 'http.ready_up' };

export class HealthLoop extends SamplingLoop<HealthSample> {
  private readonly client: ScheduledHttpClient;
  private readonly fivexx: RateWindow;
  private readonly paths: HealthPath[];
  private readonly requests: PollableRequest[];
  /** Health paths the poll policy refused (a path shared with a webhook or error route). */
  readonly withheld: { path: string; reason: string }[];

  constructor(options: SamplingLoopOptions<HealthSample> & { baseUrl: string; paths: HealthPath[]; policy: PollPolicy; rateWindowMs: number; timeoutMs?: number }) {
    super(options, 'httpHealth');
    // The shared poll policy (probes/http/poll-policy.ts): only GETs of pollable paths, checked
    // here and again by the client at every request.
    this.client = new ScheduledHttpClient(options.baseUrl, options.policy);
    const timeoutMs = options.timeoutMs ?? Math.min(5000, Math.max(2000, options.intervalMs));
    const { pollable, withheld } = options.policy.admit(options.paths.map((p) => ({ name: `health.${p.id}`, method: 'GET' as const, path: p.path, timeoutMs })));
    this.requests = pollable;
    this.withheld = withheld.map((w) => ({ path: w.request.path, reason: w.reason }));
    this.paths = options.paths.filter((p) => pollable.some((r) => r.path === p.path));
    this.fivexx = new RateWindow(options.rateWindowMs);
  }

  protected async sample(): Promise<HealthSample> {
    const exchanges = await Promise.all(this.requests.map((r) => this.client.exchange(r)));
    if (exchanges.every((e) => e.status === null)) throw new Error(`API unreachable: ${exchanges[0]?.error ?? 'no answer'}`);
    const now = Date.now();
    const values: MetricValues = {};
    let errors = 0;
    let slowest = 0;
    exchanges.forEach((e, i) => {
      const p = this.paths[i]!;
      const metric = UP_METRIC[p.id];
      if (metric) values[metric] = e.status === p.status ? 1 : 0;
      if (e.status !== null && e.status >= 500 && e.status !== p.unhealthyStatus) errors++;
      slowest = Math.max(slowest, e.latencyMs ?? 0);
    });
    this.fivexx.add(now, errors);
    values['http.5xx_per_hour'] = this.fivexx.perHour(now);
    values['http.health_latency_ms'] = slowest;
    return { sampledAt: new Date(now).toISOString(), exchanges, values };
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.client.close();
  }
}

export interface SentrySample {
  sampledAt: string;
  errors: number;
  values: MetricValues;
}

export class SentryLoop extends SamplingLoop<SentrySample> {
  constructor(
    options: SamplingLoopOptions<SentrySample>,
    private readonly client: SentryStatsClient,
    private readonly windowMs: number,
  ) {
    super(options, 'sentryStats');
  }

  protected async sample(): Promise<SentrySample> {
    const now = Date.now();
    const errors = await this.client.errorsBetween((now - this.windowMs) / 1000, now / 1000);
    return { sampledAt: new Date(now).toISOString(), errors, values: { 'sentry.errors_per_hour': (errors * 3_600_000) / this.windowMs } };
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.client.close();
  }
}

export interface CheckRunSample {
  sampledAt: string;
  score: number;
  verdict: string;
  failing: string[];
  values: MetricValues;
}

export class CheckRunLoop extends SamplingLoop<CheckRunSample> {
  constructor(
    options: SamplingLoopOptions<CheckRunSample>,
    private readonly run: () => Promise<{ score: number; verdict: string; failing: string[] }>,
  ) {
    super(options, 'checkRun');
  }

  protected async sample(): Promise<CheckRunSample> {
    const r = await this.run();
    return { sampledAt: new Date().toISOString(), ...r, values: { 'checks.score': r.score } };
  }

  stop(): Promise<void> {
    this.stopTimer();
    return Promise.resolve();
  }
}

export interface IndexStateSample {
  sampledAt: string;
  values: MetricValues;
}

/**
 * The index state on its own slow loop (default 5 min, DESIGN.md §3: catalog queries never every
 * few seconds): the catalog read on the on-demand reader connection, judged against the profile's
 * expected indexes by the same evaluation the pg.indexes check uses.
 */
export class IndexLoop extends SamplingLoop<IndexStateSample> {
  private readonly client: ProbeClient;

  constructor(
    options: SamplingLoopOptions<IndexStateSample> & { url: string },
    /** The profile's required expected indexes (optional ones never count as unusable). */
    private readonly expected: IndexExpectation[],
  ) {
    super(options, 'postgresCatalog');
    this.client = new ProbeClient(options.url, { role: 'reader' });
  }

  get label(): string {
    return this.client.label;
  }

  protected async sample(): Promise<IndexStateSample> {
    const report = evaluateIndexes(await readIndexCatalog(this.client), this.expected);
    const unusable = report.counts.missing + report.counts.invalid + report.counts.not_ready;
    const values: MetricValues = { 'pg.invalid_indexes': report.invalid.length };
    // No series without a list to judge: "0 unusable" would claim more than was checked.
    if (this.expected.length) values['pg.indexes_unusable'] = unusable;
    return { sampledAt: report.checkedAt, values };
  }

  async stop(): Promise<void> {
    this.stopTimer();
    await this.client.close();
  }
}
