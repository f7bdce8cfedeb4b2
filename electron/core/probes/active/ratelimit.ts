/**
 * Rate-limit boundary probe: N+1 requests in one burst (first 429 expected at N+1, with
 * Retry-After), an optional spoof burst with a forged X-Forwarded-For per request, and an
 * optional request after the advertised reset. Runs only through the guardrails.
 */
import type { ActivePlan, Consent, RateLimitObservation, Verdict } from '../../../../shared/schemas/active';
import { maskUrl } from '../../util/redact';
import { runBurst, sendOne } from './burst';
import { isProductionEnvironment } from '../../consent/production';
import { typedConfirmationFor } from '../../consent/typed-confirmation';
import { CapExceededError, DEFAULT_CAPS, MAX_RESET_CHECK_DEADLINE_MS, resolveCaps, runGuarded, type Caps, type ManualTrigger, type RunGuard } from './guardrails';
import { retryDelayMs } from './limiter-headers';
import { openWarmPool } from './warm-pool';
import { InputError } from '../../util/errors';

export { retryDelayMs };

export interface RateLimitRequest {
  url: string;
  /** Expected limit N per window. */
  limit: number;
  windowSeconds: number;
  /** Requests in the main burst; default N+1. */
  requestCount?: number;
  xffCheck: boolean;
  /** After the burst, wait for the advertised reset and send one more request. */
  checkReset: boolean;
  environment: string;
  /** The profile's kind of the environment, when it comes from a profile (production by kind or by name). */
  environmentKind?: string | null;
  /** Extra request headers, e.g. Authorization for a bearer identity (never recorded). */
  headers?: Record<string, string>;
  /** Who the requests are sent as, by reference only (e.g. 'bearer token from secret "api_token"'); never the value. */
  identityLabel?: string;
  caps?: Partial<Caps>;
}

export interface RateLimitRunOptions {
  trigger: ManualTrigger;
  consent: Consent | null | undefined;
  signal?: AbortSignal;
  onProgress?: (progress: { phase: string; sent: number; planned: number }) => void;
  /**
   * The verdict recorded with the run in the audit log. Probes never import checks: the face
   * that runs the probe hands in the check that judges it (checks/active.ts rateLimitReport).
   */
  judge?: (obs: RateLimitObservation) => { verdict: Verdict; xffBypass: boolean | null };
}

export class BadTargetError extends InputError {
  override readonly code = 'bad_input';
}

export function parseHttpUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Never echo the raw text: a mistyped URL may still carry a password.
    throw new BadTargetError(`The target URL is not a valid URL: ${maskUrl(raw)} (${raw.length} characters).`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadTargetError(`URL must start with http:// or https://, got ${url.protocol} in ${maskUrl(raw)}`);
  return url;
}

/** The reset check waits up to one window after the burst, plus this for the burst and the last request. */
export const RESET_CHECK_MARGIN_MS = 30_000;

/** How long a run with the reset check may need: the window plus the margin. */
export function resetCheckNeedsMs(windowSeconds: number): number {
  return Math.ceil(windowSeconds * 1000) + RESET_CHECK_MARGIN_MS;
}

const secs = (ms: number) => `${Math.ceil(ms / 1000)} s`;

/**
 * The run's caps. The total deadline stays at the hard 60 s unless the reset check needs
 * longer: then the caller must give an explicit longer deadline (CLI: --deadline), never
 * above MAX_RESET_CHECK_DEADLINE_MS; a window too long for that refuses the reset check.
 */
export function rateLimitCaps(req: Pick<RateLimitRequest, 'caps' | 'checkReset' | 'windowSeconds'>): Caps {
  const caps = resolveCaps(req.caps);
  const ceiling = req.checkReset ? MAX_RESET_CHECK_DEADLINE_MS : DEFAULT_CAPS.totalDeadlineMs;
  if (caps.totalDeadlineMs > ceiling) {
    throw new CapExceededError(
      req.checkReset
        ? `Refused: a deadline of ${secs(caps.totalDeadlineMs)} is over the hard maximum of ${secs(MAX_RESET_CHECK_DEADLINE_MS)} for a run with the reset check.`
        : `Refused: a deadline of ${secs(caps.totalDeadlineMs)} is over the hard maximum of ${secs(DEFAULT_CAPS.totalDeadlineMs)} (only a run with the reset check may take longer, up to ${secs(MAX_RESET_CHECK_DEADLINE_MS)}).`,
    );
  }
  if (req.checkReset) {
    const needs = resetCheckNeedsMs(req.windowSeconds);
    const why = `the reset check waits for the ${req.windowSeconds} s window to reset, so the run needs up to ${secs(needs)} (window + ${secs(RESET_CHECK_MARGIN_MS)})`;
    if (needs > MAX_RESET_CHECK_DEADLINE_MS) {
      throw new CapExceededError(`Refused: ${why}, over the hard maximum of ${secs(MAX_RESET_CHECK_DEADLINE_MS)} per run. Leave the reset check out for windows over ${secs(MAX_RESET_CHECK_DEADLINE_MS - RESET_CHECK_MARGIN_MS)}.`);
    }
    if (needs > caps.totalDeadlineMs) {
      throw new CapExceededError(`Refused: ${why}, longer than the run's deadline of ${secs(caps.totalDeadlineMs)}. Allow it explicitly with --deadline ${Math.ceil(needs / 1000)}s (at most ${Math.ceil(MAX_RESET_CHECK_DEADLINE_MS / 1000)}s with the reset check), or leave the reset check out.`);
    }
  }
  return caps;
}

function burstSize(req: RateLimitRequest): number {
  return req.requestCount ?? req.limit + 1;
}

export function planRateLimit(req: RateLimitRequest): ActivePlan {
  const url = parseHttpUrl(req.url);
  const caps = rateLimitCaps(req);
  const perBurst = burstSize(req);
  const requestCount = perBurst * (req.xffCheck ? 2 : 1) + (req.checkReset ? 1 : 0);
  const concurrency = Math.min(caps.maxConcurrency, perBurst);
  const endpoint = planEndpoint(url);
  const parts = [`${perBurst} requests at once (≤ ${concurrency} in flight)`];
  if (req.xffCheck) parts.push(`${perBurst} more, each with a forged X-Forwarded-For`);
  if (req.checkReset) parts.push(`1 after the advertised reset (the run may take up to ${secs(caps.totalDeadlineMs)})`);
  const production = isProductionEnvironment({ name: req.environment, kind: req.environmentKind });
  return {
    kind: 'ratelimit',
    host: url.host,
    endpoint,
    requestCount,
    maxConcurrency: concurrency,
    durationSeconds: null,
    environment: req.environment,
    production,
    confirm: typedConfirmationFor({ environment: req.environment, host: url.host, production }),
    description: `Would send ${requestCount} requests to ${endpoint} on ${url.host} (${req.environment}) as ${req.identityLabel ?? 'an anonymous client'}: ${parts.join(', then ')}.`,
  };
}

/** The endpoint as plans, consent and the audit log name it: secret query values masked. */
export function planEndpoint(url: URL): string {
  return `GET ${url.pathname}${url.search ? new URL(maskUrl(url.toString())).search : ''}`;
}

// Documentation address ranges (RFC 5737): never a real client.
export function forgedAddress(index: number): string {
  const nets = ['203.0.113', '198.51.100', '192.0.2'];
  const i = index - 1;
  return `${nets[Math.floor(i / 254) % nets.length]}.${(i % 254) + 1}`;
}

async function postReset(guard: RunGuard, send: () => ReturnType<typeof sendOne>, waitMs: number | null, started: number): Promise<RateLimitObservation['postReset']> {
  if (waitMs === null) return { waitedMs: 0, status: null, error: null, skippedBecause: 'no Retry-After or reset header to wait for' };
  const waited = waitMs + 250;
  if (performance.now() - started + waited + guard.caps.requestTimeoutMs > guard.caps.totalDeadlineMs) {
    return { waitedMs: 0, status: null, error: null, skippedBecause: `the reset (${Math.round(waitMs / 1000)} s) is past the run's deadline of ${guard.caps.totalDeadlineMs / 1000} s` };
  }
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waited);
    guard.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
  if (guard.stopped) return { waitedMs: waited, status: null, error: 'cancelled', skippedBecause: null };
  const record = await send();
  return { waitedMs: waited, status: record?.status ?? null, error: record?.error ?? null, skippedBecause: null };
}

export async function runRateLimitProbe(req: RateLimitRequest, run: RateLimitRunOptions): Promise<RateLimitObservation> {
  const plan = planRateLimit(req);
  const caps = rateLimitCaps(req);
  const url = parseHttpUrl(req.url);
  const path = `${url.pathname}${url.search}`;
  return runGuarded(
    { action: 'ratelimit.run', target: req.url, trigger: run.trigger, plan, consent: run.consent, caps, signal: run.signal },
    async (guard) => {
      const started = performance.now();
      const startedAt = new Date().toISOString();
      const perBurst = burstSize(req);
      const headers = { accept: '*/*', 'user-agent': 'preflight-ratelimit-probe', ...(req.headers ?? {}) };
      const warm = await openWarmPool(url, plan.maxConcurrency, caps.requestTimeoutMs, guard.signal);
      const onAbort = () => void warm.destroy();
      guard.signal.addEventListener('abort', onAbort, { once: true });
      const progress = setInterval(() => run.onProgress?.({ phase: 'sending', sent: guard.sent, planned: plan.requestCount }), 100);
      try {
        run.onProgress?.({ phase: 'burst', sent: guard.sent, planned: plan.requestCount });
        const burst = await runBurst(warm.pool, guard, { label: 'identity', path, count: perBurst, concurrency: plan.maxConcurrency, headers });
        let spoof = null;
        if (req.xffCheck && !guard.stopped) {
          run.onProgress?.({ phase: 'xff-spoof', sent: guard.sent, planned: plan.requestCount });
          spoof = await runBurst(warm.pool, guard, { label: 'xff-spoof', path, count: perBurst, concurrency: plan.maxConcurrency, headers, forwardedFor: forgedAddress });
        }
        let reset: RateLimitObservation['postReset'] = null;
        if (req.checkReset && !guard.stopped) {
          run.onProgress?.({ phase: 'waiting-for-reset', sent: guard.sent, planned: plan.requestCount });
          reset = await postReset(guard, () => sendOne(warm.pool, guard, { path, headers }, perBurst * 2 + 1, performance.now(), null), retryDelayMs(burst.retryAfter, burst.resetHeader), started);
        }
        run.onProgress?.({ phase: 'done', sent: guard.sent, planned: plan.requestCount });
        return {
          url: maskUrl(req.url),
          limit: req.limit,
          windowSeconds: req.windowSeconds,
          startedAt,
          durationMs: Number((performance.now() - started).toFixed(1)),
          prewarmedConnections: warm.warmed,
          concurrency: plan.maxConcurrency,
          burst,
          spoof,
          postReset: reset,
          stoppedBy: guard.stopReason,
          totalSent: guard.sent,
        };
      } finally {
        clearInterval(progress);
        guard.signal.removeEventListener('abort', onAbort);
        await warm.destroy();
      }
    },
    (obs) => {
      const judged = run.judge?.(obs);
      return { ...(judged ? { verdict: judged.verdict, xffBypass: judged.xffBypass } : {}), identity: req.identityLabel ?? 'anonymous', statuses: obs.burst.statuses, first429At: obs.burst.first429At, spoofAllowed: obs.spoof?.allowed ?? null, burstMs: obs.burst.burstMs };
    },
  );
}
