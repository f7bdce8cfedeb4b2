/**
 * Min/max bucket decimation for charts (the `downsample` package offers LTTB, ASAP, SMA, LTOB
 * and LTD — none keeps every extreme, and LTTB drops single-sample spikes at 24 h). Each bucket
 * keeps its minimum and its maximum at their own times, so a one-sample spike is still drawn at
 * any range. A stretch with no sample longer than `gapMs` becomes a null point: the line breaks
 * there instead of joining across the gap.
 */
export interface Point {
  t: number;
  v: number | null;
}

export function decimateMinMax(points: Iterable<Point>, from: number, to: number, buckets: number, gapMs: number): Point[] {
  const width = Math.max(1, (to - from) / Math.max(1, buckets));
  const out: Point[] = [];
  let bucket = -1;
  let lo: Point | null = null;
  let hi: Point | null = null;
  let lastT: number | null = null;
  const flush = () => {
    if (lo && hi) {
      if (lo === hi) out.push(lo);
      else if (lo.t <= hi.t) out.push(lo, hi);
      else out.push(hi, lo);
    }
    lo = hi = null;
  };
  for (const p of points) {
    if (p.t < from || p.t > to) continue;
    const gapBefore = lastT !== null && p.t - lastT > gapMs;
    if (p.v === null || !Number.isFinite(p.v)) {
      flush();
      if (out.length && out[out.length - 1]!.v !== null) out.push({ t: p.t, v: null });
      lastT = p.t;
      continue;
    }
    const b = Math.floor((p.t - from) / width);
    if (b !== bucket || gapBefore) {
      flush();
      bucket = b;
    }
    if (gapBefore && out.length && out[out.length - 1]!.v !== null) out.push({ t: lastT! + 1, v: null });
    if (!lo || p.v < lo.v!) lo = p;
    if (!hi || p.v > hi.v!) hi = p;
    lastT = p.t;
  }
  flush();
  return out;
}
