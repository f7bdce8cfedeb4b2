/**
 * Runs the passive HTTP probes of one API on an interval and keeps each endpoint's recent
 * history. A run still going when the next is due is skipped and counted, never queued.
 */
import type { EndpointRow, HttpRunSummary } from '../../../shared/contracts/http';
import type { HttpExchange, HttpExpectations } from '../../../shared/schemas/http';
import { evaluateHttp } from '../checks/http';
import type { CheckResult } from '../../../shared/schemas/check';
import { HttpProbeClient, runPassiveProbes } from '../probes/http';
import { ProbeClient } from '../probes/postgres';
import { RedisProbeClient } from '../probes/redis/client';
import { maskUrl } from '../util/redact';
import { RingBuffer } from '../util/ring-buffer';
import { assertSchedulable, type SchedulableProbeId } from '../probes/active/guardrails';
import { scrubMessage } from '../util/redact';
import { TargetHealth } from './target-health';

const HISTORY = 360;
/** The webhook probe POSTs to a payment endpoint: on the first run, then at most hourly. */
const WEBHOOK_EVERY_MS = 3_600_000;

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
  /** State and last error of the runs, read by the page on mount (`http.status`). */
  readonly health = new TargetHealth();
  private readonly client: HttpProbeClient;
  private readonly pgProbe: ProbeClient | null;
  private readonly redisProbe: RedisProbeClient | null;
  private lastWebhook: { at: number; result: CheckResult | undefined } | null = null;
  private readonly endpoints = new Map<string, { last: HttpExchange; samples: RingBuffer<EndpointRow['samples'][number]> }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  private readonly options: HttpWatcherOptions;

  constructor(options: HttpWatcherOptions) {
    assertSchedulable('http.passive' satisfies SchedulableProbeId);
    this.targetId = options.targetId;
    this.label = maskUrl(options.baseUrl);
    this.intervalMs = options.intervalMs;
    this.client = new HttpProbeClient(options.baseUrl);
    // One connection each for the readiness cross-check, kept for the watcher's life.
    this.pgProbe = options.pgUrl ? new ProbeClient(options.pgUrl) : null;
    this.redisProbe = options.redisUrl ? new RedisProbeClient(options.redisUrl) : null;
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
        .then(
          (run) => this.health.ok(run.at),
          (err: unknown) => this.health.fail(new Date().toISOString(), scrubMessage(err instanceof Error ? err.message : String(err))),
        )
        .finally(() => (this.running = null));
    }
    this.timer = setTimeout(() => this.tick(), this.intervalMs);
  }

  async runOnce(): Promise<HttpRunSummary> {
    const o = this.options;
    const webhookDue = !this.lastWebhook || Date.now() - this.lastWebhook.at >= WEBHOOK_EVERY_MS;
    const expectations = webhookDue ? o.expectations : { ...o.expectations, paths: { ...o.expectations.paths, webhook: null } };
    const observation = await runPassiveProbes(o.baseUrl, {
      expectations,
      client: this.client,
      pgProbe: this.pgProbe ?? undefined,
      redisProbe: this.redisProbe ?? undefined,
    });
    for (const e of observation.exchanges) {
      let entry = this.endpoints.get(e.name);
      if (!entry) this.endpoints.set(e.name, (entry = { last: e, samples: new RingBuffer(HISTORY) }));
      entry.last = e;
      entry.samples.push({ at: e.at, status: e.status, latencyMs: e.latencyMs, error: e.error });
    }
    let results = evaluateHttp(observation, expectations);
    if (webhookDue) this.lastWebhook = { at: Date.now(), result: results.find((r) => r.id === 'webhook.signature') };
    else if (this.lastWebhook?.result) {
      // Between webhook probes, show the last verdict with its time rather than "skipped".
      const last = this.lastWebhook.result;
      const when = new Date(this.lastWebhook.at).toISOString();
      results = results.map((r) => (r.id === 'webhook.signature' ? { ...last, summary: `${last.summary} (probed at ${when}; the webhook is probed at most hourly)` } : r));
    }
    const summary: HttpRunSummary = { at: observation.startedAt, durationMs: observation.durationMs, requests: observation.exchanges.length, results };
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
    await Promise.all([this.client.close(), this.pgProbe?.close(), this.redisProbe?.close()]);
  }
}
