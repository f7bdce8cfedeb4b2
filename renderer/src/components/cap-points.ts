/**
 * Keeps a chart at most ~2 points per pixel (DESIGN.md §5) without hiding spikes: the points
 * are cut into buckets of equal count and each bucket keeps its lowest and highest point of
 * every series (in time order), plus one gap point when the bucket holds a gap (a down tick), so
 * a short outage still breaks the line.
 */
export function capPoints<T extends { t: number }>(points: T[], maxPoints: number, series: readonly (keyof T)[]): T[] {
  if (points.length <= maxPoints || maxPoints < 4) return points;
  const perSeries = Math.max(1, series.length) * 2;
  // Room for a gap point per bucket besides each series' low and high.
  const buckets = Math.max(1, Math.floor(maxPoints / (perSeries + 1)));
  const size = points.length / buckets;
  const out: T[] = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * size);
    const to = Math.min(points.length, Math.floor((b + 1) * size));
    const keep = new Set<number>();
    let gap = -1;
    for (const key of series) {
      let lo = -1;
      let hi = -1;
      for (let i = from; i < to; i++) {
        const v = points[i]![key] as unknown;
        if (typeof v !== 'number') {
          if (v === null && gap < 0) gap = i;
          continue;
        }
        if (lo < 0 || v < (points[lo]![key] as number)) lo = i;
        if (hi < 0 || v > (points[hi]![key] as number)) hi = i;
      }
      if (lo >= 0) keep.add(lo);
      if (hi >= 0) keep.add(hi);
    }
    if (gap >= 0) keep.add(gap);
    if (keep.size === 0 && to > from) keep.add(from);
    for (const i of [...keep].sort((a, b) => a - b)) out.push(points[i]!);
  }
  // Always end on the newest point: it is what the tiles show.
  if (out.at(-1) !== points.at(-1)) out.push(points.at(-1)!);
  return out;
}

/** Points a chart of this width draws at most. */
export const pointsFor = (widthPx: number) => Math.max(50, Math.floor(widthPx * 2));
