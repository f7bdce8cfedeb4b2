/**
 * One burst: `count` GET requests launched at once through a warm pool, at most `concurrency`
 * in flight. Each request takes a slot from the RunGuard when it goes out, so a cap or a cancel
 * stops the rest before they are sent. Times are ms after the burst started.
 */
import type { Pool } from 'undici';
import type { BurstObservation, RequestRecord } from '../../../../shared/schemas/active';
import type { RunGuard } from './guardrails';
import { burstBudget } from './limiter-headers';

/** RateLimit-*, X-RateLimit-*, the combined RateLimit field (and its -Policy) and Retry-After. */
const RATE_LIMIT_HEADER = /^(x-)?ratelimit(-|$)|^retry-after$/i;

export interface BurstSpec {
  label: BurstObservation['label'];
  path: string;
  count: number;
  concurrency: number;
  headers: Record<string, string>;
  /** A different X-Forwarded-For per request (spoof burst). */
  forwardedFor?: (index: number) => string;
}

function pickHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined && RATE_LIMIT_HEADER.test(name)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function describeError(err: unknown, guard: RunGuard): string {
  if (guard.stopped) return guard.stopReason === 'cancelled' ? 'cancelled' : `stopped (${guard.stopReason})`;
  const e = err as { code?: string; message?: string };
  if (e?.code === 'UND_ERR_HEADERS_TIMEOUT' || e?.code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  return e?.code ? `${e.code}: ${e.message ?? ''}`.trim() : (e?.message ?? String(err));
}

export async function sendOne(pool: Pool, guard: RunGuard, spec: { path: string; headers: Record<string, string> }, index: number, t0: number, forwardedFor: string | null): Promise<RequestRecord | null> {
  if (!guard.takeRequest()) return null;
  const sentMs = performance.now() - t0;
  const headers = forwardedFor ? { ...spec.headers, 'x-forwarded-for': forwardedFor } : spec.headers;
  try {
    const res = await pool.request({
      path: spec.path,
      method: 'GET',
      headers,
      signal: guard.signal,
      headersTimeout: guard.caps.requestTimeoutMs,
      bodyTimeout: guard.caps.requestTimeoutMs,
    });
    const receivedMs = performance.now() - t0;
    guard.recordStatus(res.statusCode);
    await res.body.dump({ limit: 64 * 1024, signal: guard.signal }).catch(() => undefined);
    return { index, sentMs, receivedMs, status: res.statusCode, headers: pickHeaders(res.headers), forwardedFor, error: null };
  } catch (err) {
    return { index, sentMs, receivedMs: null, status: null, headers: {}, forwardedFor, error: describeError(err, guard) };
  }
}

export async function runBurst(pool: Pool, guard: RunGuard, spec: BurstSpec): Promise<BurstObservation> {
  const t0 = performance.now();
  const records: RequestRecord[] = [];
  let next = 1;
  // `concurrency` workers pull indexes in order: the send time is when a request really goes out.
  const worker = async () => {
    while (next <= spec.count && !guard.stopped) {
      const index = next++;
      const record = await sendOne(pool, guard, spec, index, t0, spec.forwardedFor?.(index) ?? null);
      if (!record) return;
      records.push(record);
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.count) }, worker));
  records.sort((a, b) => a.index - b.index);
  return summarizeBurst(spec.label, spec.count, records);
}

/** Pure: turns request records into the burst's figures. */
export function summarizeBurst(label: BurstObservation['label'], planned: number, records: RequestRecord[]): BurstObservation {
  const statuses: Record<string, number> = {};
  for (const r of records) {
    const key = r.status === null ? 'error' : String(r.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const refusals = records.filter((r) => r.status === 429).sort((a, b) => a.receivedMs! - b.receivedMs!);
  const firstRefusal = refusals[0] ?? null;
  const allowed = records.filter((r) => r.status !== null && r.status !== 429);
  const first429At = firstRefusal ? allowed.filter((r) => r.sentMs <= firstRefusal.receivedMs!).length + 1 : null;
  const sends = records.map((r) => r.sentMs);
  const ends = records.map((r) => r.receivedMs ?? r.sentMs);
  const firstSend = sends.length ? Math.min(...sends) : 0;
  const round = (n: number) => Number(n.toFixed(2));
  const limiter = burstBudget(records);
  const unansweredBeforeFirst429 = firstRefusal ? records.filter((r) => r.status === null && r.sentMs <= firstRefusal.receivedMs!).length : records.filter((r) => r.status === null).length;
  return {
    label,
    planned,
    sent: records.length,
    statuses,
    allowed: allowed.length,
    refused: refusals.length,
    first429At,
    burstMs: records.length ? round(Math.max(...ends) - firstSend) : 0,
    sendSpreadMs: records.length ? round(Math.max(...sends) - firstSend) : 0,
    retryAfter: firstRefusal?.headers['retry-after'] ?? null,
    resetHeader: firstRefusal ? limiter.reset : null,
    limiter,
    unansweredBeforeFirst429,
    requests: records.map((r) => ({ ...r, sentMs: round(r.sentMs), receivedMs: r.receivedMs === null ? null : round(r.receivedMs) })),
  };
}
