/**
 * SSE connection-hold probe: opens K streams for T seconds while sampling the target
 * database's pg_stat_activity for the app's sessions (by application name or client address)
 * through the read-only ProbeClient; then closes every stream and waits for the sessions to
 * settle. Streams the server refuses with 429 are reported as refused, not as probe failures.
 */
import { setMaxListeners } from 'node:events';
import { createParser } from 'eventsource-parser';
import { Pool } from 'undici';
import type { ActivePlan, Consent, SseObservation, SseSample, SseStreamRecord, Verdict } from '../../../../shared/schemas/active';
import { ProbeClient } from '../postgres';
import { maskUrl } from '../../util/redact';
import { isProductionEnvironment } from '../../consent/production';
import { typedConfirmationFor } from '../../consent/typed-confirmation';
import { assertWithinCaps, CapExceededError, MAX_SSE_DEADLINE_MS, resolveCaps, runGuarded, type Caps, type ManualTrigger, type RunGuard } from './guardrails';
import { parseHttpUrl, planEndpoint } from './ratelimit';
import { attributeSessions, type SessionSnapshot } from './sse-attribution';

export { DEFAULT_SSE_HOLD_SECONDS, DEFAULT_SSE_STREAMS } from '../../../../shared/schemas/active';

export interface SseRequest {
  url: string;
  pgUrl: string;
  applicationName?: string | null;
  clientAddress?: string | null;
  streams: number;
  seconds: number;
  environment: string;
  /** The profile's kind of the environment, when it comes from a profile (production by kind or by name). */
  environmentKind?: string | null;
  sampleIntervalMs?: number;
  /** After closing, how long to wait for the sessions to return to baseline (default 12 s: pools often idle out after 10 s). */
  settleTimeoutMs?: number;
  caps?: Partial<Caps>;
}

export interface SseRunOptions {
  trigger: ManualTrigger;
  consent: Consent | null | undefined;
  signal?: AbortSignal;
  onSample?: (sample: SseSample) => void;
  /** The verdict recorded with the run in the audit log, from the check the face judges with (probes never import checks). */
  judge?: (obs: SseObservation) => { verdict: Verdict };
}

// One row per app session, so sessions can be told apart by pid (see sse-attribution.ts).
const SESSIONS_SQL = `
SELECT pid, (extract(epoch FROM backend_start) * 1000)::float8 AS started, state,
       (extract(epoch FROM query_start) * 1000)::float8 AS query_start
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
  AND ($1::text IS NULL OR application_name = $1)
  AND ($2::text IS NULL OR host(client_addr) = $2)
  -- This process's own backends (sampler, reader), by pid: a name proves nothing.
  AND pid <> ALL($3::int[])`;

/**
 * The run's caps: the deadline covers the hold time, the settle wait and a 15 s margin, clamped
 * to the hard maximum MAX_SSE_DEADLINE_MS; an explicit deadline above it is refused.
 */
export function sseCaps(req: Pick<SseRequest, 'seconds' | 'settleTimeoutMs' | 'caps'>): Caps {
  const settle = req.settleTimeoutMs ?? 12_000;
  const caps = resolveCaps(req.caps, { totalDeadlineMs: Math.min(MAX_SSE_DEADLINE_MS, req.seconds * 1000 + settle + 15_000) });
  if (caps.totalDeadlineMs > MAX_SSE_DEADLINE_MS) throw new CapExceededError(`Refused: a deadline of ${Math.ceil(caps.totalDeadlineMs / 1000)} s is over the hard maximum of ${MAX_SSE_DEADLINE_MS / 1000} s for an SSE run.`);
  return caps;
}

/** The longest the probe keeps streams open (the UI and the CLI stop at the same value). */
export const MAX_SSE_SECONDS = 120;

export function planSse(req: SseRequest): ActivePlan {
  const url = parseHttpUrl(req.url);
  if (!(req.seconds > 0 && req.seconds <= MAX_SSE_SECONDS)) throw new CapExceededError(`Refused: streams may stay open at most ${MAX_SSE_SECONDS} s, got ${req.seconds} s.`);
  const caps = sseCaps(req); // refuses a deadline over the hard maximum before anything is planned
  // Every stream is one request held open at once: the concurrency cap bounds the stream count.
  if (req.streams > caps.maxConcurrency) throw new CapExceededError(`Refused: at most ${caps.maxConcurrency} streams may be open at once (the concurrency cap), got ${req.streams}.`);
  assertWithinCaps({ requestCount: req.streams, maxConcurrency: req.streams }, caps);
  const endpoint = planEndpoint(url);
  const who = req.applicationName ? `application_name = ${req.applicationName}` : req.clientAddress ? `client address ${req.clientAddress}` : "every session but this Preflight's own (by pid)";
  const production = isProductionEnvironment({ name: req.environment, kind: req.environmentKind });
  return {
    kind: 'sse',
    host: url.host,
    endpoint,
    requestCount: req.streams,
    maxConcurrency: req.streams,
    durationSeconds: req.seconds,
    environment: req.environment,
    production,
    confirm: typedConfirmationFor({ environment: req.environment, host: url.host, production }),
    description: `Would open ${req.streams} SSE streams to ${endpoint} on ${url.host} (${req.environment}) for ${req.seconds} s, sampling ${who} in pg_stat_activity of ${maskUrl(req.pgUrl)}.`,
  };
}

class SessionSampler {
  readonly samples: SseSample[] = [];
  /** The same samples, session by session, for attribution. */
  readonly sessions: SessionSnapshot[] = [];
  skipped = 0;
  private busy = false;
  constructor(
    private readonly client: ProbeClient,
    private readonly params: [string | null, string | null],
    private readonly t0: number,
    private readonly openStreams: () => number,
    private readonly onSample?: (s: SseSample) => void,
  ) {}

  /** One sample; a tick that finds the previous one still running is skipped, never queued. */
  async sample(phase: SseSample['phase']): Promise<SseSample | null> {
    if (this.busy) {
      this.skipped += 1;
      return null;
    }
    this.busy = true;
    try {
      const res = await this.client.queryWithOwnPids<{ pid: number; started: number; state: string | null; query_start: number | null }>((own) => [...this.params, own], SESSIONS_SQL);
      const rows = res.rows;
      const s: SseSample = { atMs: Number((performance.now() - this.t0).toFixed(1)), phase, openStreams: this.openStreams(), sessions: rows.length, busySessions: rows.filter((r) => r.state !== 'idle').length };
      this.sessions.push({ atMs: s.atMs, phase, openStreams: s.openStreams, sessions: rows.map((r) => ({ key: `${r.pid}@${r.started}`, pid: r.pid, state: r.state, queryStart: r.query_start })) });
      this.samples.push(s);
      this.onSample?.(s);
      return s;
    } finally {
      this.busy = false;
    }
  }
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Samples taken while every opened stream was open (all open-phase samples if none were). */
function allOpenSamples(during: SseSample[], records: SseStreamRecord[]): SseSample[] {
  const opened = records.filter((r) => r.outcome === 'opened').length;
  const all = during.filter((s) => opened > 0 && s.openStreams >= opened);
  return all.length ? all : during;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

async function openStream(pool: Pool, path: string, index: number, guard: RunGuard, closeSignal: AbortSignal, t0: number, counters: { open: number }): Promise<SseStreamRecord> {
  const record: SseStreamRecord = { index, status: null, outcome: 'failed', events: 0, openedMs: null, endedEarlyMs: null, error: null };
  if (!guard.takeRequest()) return { ...record, error: `not sent (${guard.stopReason})` };
  let counted = false;
  try {
    const res = await pool.request({ path, method: 'GET', headers: { accept: 'text/event-stream', 'cache-control': 'no-cache', 'user-agent': 'preflight-sse-probe' }, signal: closeSignal, headersTimeout: guard.caps.requestTimeoutMs, bodyTimeout: 0 });
    record.status = res.statusCode;
    guard.recordStatus(res.statusCode);
    if (res.statusCode === 429) {
      record.outcome = 'refused';
      const h = res.headers as Record<string, string | undefined>;
      record.retryAfter = h['retry-after'] ?? h['ratelimit-reset'] ?? h['x-ratelimit-reset'] ?? null;
      await res.body.dump().catch(() => undefined);
      return record;
    }
    if (res.statusCode !== 200) {
      record.error = `HTTP ${res.statusCode}`;
      await res.body.dump().catch(() => undefined);
      return record;
    }
    record.outcome = 'opened';
    record.openedMs = Number((performance.now() - t0).toFixed(1));
    counters.open += 1;
    counted = true;
    const parser = createParser({ onEvent: () => void (record.events += 1) });
    const decoder = new TextDecoder();
    for await (const chunk of res.body) parser.feed(decoder.decode(chunk as Buffer, { stream: true }));
    if (!closeSignal.aborted) record.endedEarlyMs = Number((performance.now() - t0).toFixed(1));
  } catch (err) {
    if (!closeSignal.aborted || record.outcome !== 'opened') record.error = (err as Error).message;
  } finally {
    if (counted) counters.open -= 1;
  }
  return record;
}

/** A session the streams held ends when they close: gone within this long after closing. */
const CLOSED_WITH_STREAMS_MS = 3000;

export async function runSseProbe(req: SseRequest, run: SseRunOptions): Promise<SseObservation> {
  const plan = planSse(req);
  const caps = sseCaps(req);
  const url = parseHttpUrl(req.url);
  const path = `${url.pathname}${url.search}`;
  const interval = req.sampleIntervalMs ?? 250;
  const settleTimeout = req.settleTimeoutMs ?? 12_000;
  return runGuarded(
    { action: 'sse.run', target: req.url, trigger: run.trigger, plan, consent: run.consent, caps, signal: run.signal },
    async (guard) => {
      const t0 = performance.now();
      const startedAt = new Date().toISOString();
      const counters = { open: 0 };
      const db = new ProbeClient(req.pgUrl);
      const sampler = new SessionSampler(db, [req.applicationName ?? null, req.clientAddress ?? null], t0, () => counters.open, run.onSample);
      const pool = new Pool(url.origin, { connections: req.streams, pipelining: 1 });
      const closeStreams = new AbortController();
      setMaxListeners(0, closeStreams.signal);
      const onStop = () => closeStreams.abort();
      guard.signal.addEventListener('abort', onStop, { once: true });
      try {
        const baseline = (await sampler.sample('baseline'))!;
        const streams = Array.from({ length: req.streams }, (_, i) => openStream(pool, path, i + 1, guard, closeStreams.signal, t0, counters));
        const openUntil = performance.now() + req.seconds * 1000;
        while (performance.now() < openUntil && !guard.stopped) {
          void sampler.sample('open').catch(() => undefined);
          await sleep(Math.min(interval, Math.max(0, openUntil - performance.now())), guard.signal);
        }
        await sampler.sample('open').catch(() => undefined);
        closeStreams.abort();
        const records = await Promise.all(streams);
        await pool.destroy().catch(() => undefined);
        const closedAt = performance.now();
        let after = baseline;
        // Sampling is passive, so even a cancelled run takes one look at where the sessions are.
        // Watch at least a second after closing: what drops then was held by the streams.
        for (;;) {
          after = (await sampler.sample('after')) ?? after;
          const sinceClose = performance.now() - closedAt;
          if (guard.stopped || (sinceClose > CLOSED_WITH_STREAMS_MS && after.sessions <= baseline.sessions) || sinceClose >= settleTimeout) break;
          await sleep(interval, guard.signal);
        }
        const during = sampler.samples.filter((s) => s.phase === 'open');
        const sustained = median((allOpenSamples(during, records)).map((s) => s.sessions)) ?? baseline.sessions;
        const opened = records.filter((r) => r.outcome === 'opened').length;
        const attribution = attributeSessions(sampler.sessions, { closedAtMs: closedAt - t0, openedStreams: opened, closedWithinMs: CLOSED_WITH_STREAMS_MS });
        return {
          url: maskUrl(req.url),
          database: maskUrl(req.pgUrl),
          match: { applicationName: req.applicationName ?? null, clientAddress: req.clientAddress ?? null },
          startedAt,
          durationMs: Number((performance.now() - t0).toFixed(1)),
          seconds: req.seconds,
          streamsRequested: req.streams,
          streamsOpened: opened,
          streamsRefused: records.filter((r) => r.outcome === 'refused').length,
          streamsFailed: records.filter((r) => r.outcome === 'failed').length,
          baselineConnections: baseline.sessions,
          peakConnections: Math.max(baseline.sessions, ...during.map((s) => s.sessions)),
          sustainedConnections: sustained,
          heldByStreams: attribution.held.length + attribution.stillOpen,
          attribution,
          afterConnections: after.sessions,
          settleMs: Number((performance.now() - closedAt).toFixed(1)),
          samples: sampler.samples,
          skippedSamples: sampler.skipped,
          streams: records,
          stoppedBy: guard.stopReason,
        };
      } finally {
        closeStreams.abort();
        guard.signal.removeEventListener('abort', onStop);
        await pool.destroy().catch(() => undefined);
        await db.close();
      }
    },
    (obs) => ({ ...(run.judge ? { verdict: run.judge(obs).verdict } : {}), streamsOpened: obs.streamsOpened, streamsRefused: obs.streamsRefused, baseline: obs.baselineConnections, peak: obs.peakConnections, heldByStreams: obs.heldByStreams, after: obs.afterConnections }),
  );
}
