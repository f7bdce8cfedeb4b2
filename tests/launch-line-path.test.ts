/** The Launch chart's line: shorter paths for flat stretches, the same drawing (DESIGN.md §5 render budget). */
import { describe, expect, it } from 'vitest';
import { linePath } from '../shared/line-path';

const x = (t: number) => t;
const y = (v: number) => 100 - v;
/** The polyline a path draws: its vertices per subpath, with points inside straight horizontal runs removed. */
function drawn(d: string): number[][][] {
  return d
    .split('M')
    .filter(Boolean)
    .map((sub) => sub.split('L').map((p) => p.split(',').map(Number)))
    .map((pts) => pts.filter((p, i) => i === 0 || i === pts.length - 1 || !(pts[i - 1]![1] === p[1] && pts[i + 1]![1] === p[1])));
}
const naive = (pts: [number, number | null][]) => {
  let d = '';
  let pen = false;
  for (const [t, v] of pts) {
    if (v === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  }
  return d;
};

describe('linePath', () => {
  it('draws a flat day as one segment', () => {
    const flat = Array.from({ length: 1600 }, (_, i) => [i, 0] as [number, number]);
    expect(linePath(flat, x, y)).toBe('M0.0,100.0L1599.0,100.0');
  });

  it('keeps every turn, spike and gap: the same drawing as one vertex per point', () => {
    const pts: [number, number | null][] = [[0, 1], [1, 1], [2, 1], [3, 9], [4, 1], [5, 1], [6, null], [7, 2], [8, 2], [9, 2], [10, 5], [10, 5], [11, 5]];
    const d = linePath(pts, x, y);
    expect(d).toBe('M0.0,99.0L2.0,99.0L3.0,91.0L4.0,99.0L5.0,99.0M7.0,98.0L9.0,98.0L10.0,95.0L11.0,95.0');
    expect(drawn(d)).toEqual(drawn(naive(pts)));
  });

  it('draws the same polyline as the point-by-point path for a noisy series with plateaus', () => {
    const pts = Array.from({ length: 3000 }, (_, i) => [i, i % 500 === 0 ? null : Math.floor(i / 40) % 3 === 0 ? 7 : (i * 7919) % 13] as [number, number | null]);
    const d = linePath(pts, x, y);
    expect(drawn(d)).toEqual(drawn(naive(pts)));
    expect(d.length).toBeLessThan(naive(pts).length);
  });
});
