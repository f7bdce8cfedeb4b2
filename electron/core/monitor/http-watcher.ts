/**
 * Runs the passive HTTP probes of one API on an interval and keeps each endpoint's recent
 * history. A run still going when the next is due is skipped and counted, never queued.
 */
import type { EndpointRow, HttpRunSummary } from '../../../shared/contracts/http';
import type { HttpExchange, HttpExpectations } from '../../../shared/schemas/http';
import { evaluateHttp } from '../checks/http';
import { HttpProbeClient, runPassiveProbes } from '../probes/http';
import { maskUrl } from '../util/redact';
import { RingBuffer } from '../util/ring-buffer';

const HISTORY = 360;

export interface HttpWatcherOptions {
  targetId: string;
  baseUrl: string;
  intervalMs: number;
  expectations: HttpExpectations;
  pgUrl?: string;
  redisUrl?: string;
  onRun(summary: HttpRunSummary): void;
}

export class HttpWatcher {
  readonly targetId: string;
  readonly label: string;
  readonly intervalMs: number;
  runs = 0;
  skippedRuns = 0;
  lastRun: HttpRunSummary | null = null;
  private readonly client: HttpProbeClient;
  private readonly endpoints = new Map<string, { last: HttpExchange; samples: RingBuffer<EndpointRow['samples'][number]> }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  private readonly options: HttpWatcherOptions;

  constructor(options: HttpWatcherOptions) {
    this.targetId = options.targetId;
    this.label = maskUrl(options.baseUrl);
    this.intervalMs = options.intervalMs;
    this.client = new HttpProbeClient(options.baseUrl);
    // A scheduled run never calls the test-error endpoint: every call raises an error the app
    // reports to Sentry, and one every few seconds would bury the launch's error budget.
    this.options = { ...options, expectations: { ...options.expectations, paths: { ...options.expectations.paths, testError: null } } };
  }

  start(): void {
    this.tick();
  }

  private tick(): void {
    if (this.stopped) return;
    if (this.running) this.skippedRuns++;
    else {
      this.running = this.runOnce()
        .then(() => undefined, () => undefined)
        .finally(() => (this.running = null));
    }
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
  }

  async runOnce(): Promise<HttpRunSummary> {
    const o = this.options;
    const observation = await runPassiveProbes(o.baseUrl, { expectations: o.expectations, pgUrl: o.pgUrl, redisUrl: o.redisUrl, client: this.client });
    for (const e of observation.exchanges) {
      let entry = this.endpoints.get(e.name);
      if (!entry) this.endpoints.set(e.name, (entry = { last: e, samples: new RingBuffer(HISTORY) }));
      entry.last = e;
      entry.samples.push({ at: e.at, status: e.status, latencyMs: e.latencyMs, error: e.error });
    }
    const summary: HttpRunSummary = { at: observation.startedAt, durationMs: observation.durationMs, requests: observation.exchanges.length, results: evaluateHttp(observation, o.expectations) };
    this.runs++;
    this.lastRun = summary;
    if (!this.stopped) o.onRun(summary);
    return summary;
  }

  endpointRows(): EndpointRow[] {
    return [...this.endpoints].map(([name, { last, samples }]) => ({ name, last, samples: samples.last() }));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.client.close();
  }
}
