import type { EndpointSample } from '../../../../shared/contracts/http';
import { percentile } from '../../../../shared/percentile';

export const answeredLatencies = (samples: EndpointSample[]) => samples.map((s) => s.latencyMs).filter((v): v is number => v !== null);

export interface LatencyPoint {
  t: number;
  latency: number | null;
  p50: number | null;
  p95: number | null;
}

/** Per sample: its own latency and p50/p95 over the trailing `window` samples (down = gap). */
export function rollingPercentiles(samples: EndpointSample[], window: number): LatencyPoint[] {
  return samples.map((s, i) => {
    const trailing = answeredLatencies(samples.slice(Math.max(0, i - window + 1), i + 1));
    return { t: Date.parse(s.at), latency: s.latencyMs, p50: percentile(trailing, 50), p95: percentile(trailing, 95) };
  });
}

export type StatusTone = 'ok' | 'client' | 'bad' | 'down';

export function statusTone(status: number | null): StatusTone {
  if (status === null) return 'down';
  if (status >= 500) return 'bad';
  if (status >= 400) return 'client';
  return 'ok';
}
