/** Helpers the HTTP checks share: the result shape and short evidence of one exchange. */
import type { CheckResult } from '../../../shared/schemas/check';
import type { HttpExchange, HttpObservation } from '../../../shared/schemas/http';

/**
 * Which check a verdict belongs to. The title, category, severity and fix are the catalogue
 * definition's (checks/http/<id>.ts); http-results.ts puts them on (one definition per check).
 */
export type Meta = Pick<CheckResult, 'id'>;
export type Verdict = Pick<CheckResult, 'status' | 'summary' | 'evidence'>;
/** One passive HTTP check's verdict on an observation, before the definition's meta is added. */
export type HttpVerdict = Pick<CheckResult, 'id' | 'status' | 'summary' | 'evidence' | 'durationMs'>;

export function result(meta: Meta, verdict: Verdict, exchanges: (HttpExchange | undefined)[]): HttpVerdict {
  // The requests ran concurrently: the check took as long as its slowest request.
  const durationMs = Math.max(0, ...exchanges.map((e) => e?.latencyMs ?? 0));
  return { ...meta, ...verdict, durationMs };
}

export const line = (e: HttpExchange) => `${e.method} ${e.path}`;
export const down = (e: HttpExchange) => `${line(e)} got no answer: ${e.error}`;

/** The facts of one exchange, short enough to read in a report. */
export function exchangeEvidence(e: HttpExchange | undefined): Record<string, unknown> {
  if (!e) return { missing: true };
  return { request: line(e), status: e.status, latencyMs: e.latencyMs, contentType: e.headers['content-type'] ?? null, body: e.body.slice(0, 400), error: e.error };
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export function get(o: HttpObservation, name: string): HttpExchange | undefined {
  return o.exchanges.find((e) => e.name === name);
}
