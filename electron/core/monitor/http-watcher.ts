/**
 * Runs the passive HTTP probes of one API on an interval and keeps each endpoint's recent
 * history. A run still going when the next is due is skipped and counted, never queued.
 * Only pollable paths are sent (see PollPolicy): the webhook, error and rate-limited routes
 * are judged by one-shot runs, and their checks read "not polled on a schedule".
 */
import type { EndpointRow, HttpRunSummary } from '../../../shared/contracts/http';
import type { HttpExchange, HttpExpectations } from '../../../shared/schemas/http';
import { httpResults } from '../checks/http-results';
import { PollPolicy, ScheduledHttpClient, runPassiveProbes } from '../probes/http';
import { ProbeClient } from '../probes/postgres';
import { RedisProbeClient } from '../probes/redis/client';
import { maskUrl } from '../util/redact';
import { RingBuffer } from '../util/ring-buffer';
import { assertSchedulable, type SchedulableProbeId } from '../probes/active/guardrails';
import { scrubMessage } from '../util/redact';
import { TargetHealth } from './target-health';

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
  readonly policy: PollPolicy;
  /** State and last error of the runs, read by the page on mount (`http.status`). */
  readonly health = new TargetHealth();
  private readonly client: ScheduledHttpClient;
  private readonly pgProbe: ProbeClient | null;
  private readonly redisProbe: RedisProbeClient | null;
  private readonly endpoints = new Map<string, { last: HttpExchange; samples: RingBuffer<EndpointRow['samples'][number]> }>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;

  private readonly options: HttpWatcherOptions;

  constructor(options: HttpWatcherOptions) {
    assertSchedulable('http' satisfies SchedulableProbeId);
    this.targetId = options.targetId;
    this.label = maskUrl(options.baseUrl);
    this.intervalMs = options.intervalMs;
    this.policy = new PollPolicy(options.expectations);
    this.client = new ScheduledHttpClient(options.baseUrl, this.policy);
    // One connection each for the readiness cross-check, kept for the watcher's life.
    this.pgProbe = options.pgUrl ? new ProbeClient(options.pgUrl) : null;
    this.redisProbe = options.redisUrl ? new RedisProbeClient(options.redisUrl) : null;
    this.options = options;
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
    const observation = await runPassiveProbes(o.baseUrl, {
      expectations: o.expectations,
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
    const results = httpResults(observation, o.expectations);
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
