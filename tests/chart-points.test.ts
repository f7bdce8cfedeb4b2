/** Charts draw at most ~2 points per pixel without hiding a spike or an outage (DESIGN.md §5). */
import { describe, expect, it } from 'vitest';
import { capPoints, pointsFor } from '../renderer/src/components/cap-points';
import { thresholdLabelRows } from '../renderer/src/components/threshold-labels';

describe('capPoints', () => {
  const day = Array.from({ length: 17_280 }, (_, i) => ({ t: i * 5000, v: i === 9001 ? 500 : i === 12_345 ? null : 10 + (i % 7) }));

  it('keeps a 24 h series at 5 s under 2 points per pixel, with the spike, the gap and the newest point', () => {
    const width = 800;
    const out = capPoints(day, pointsFor(width), ['v']);
    expect(out.length).toBeLessThanOrEqual(pointsFor(width) + 1);
    expect(out.length).toBeGreaterThan(width / 2);
    expect(out.some((p) => p.v === 500)).toBe(true);
    expect(out.some((p) => p.v === null)).toBe(true);
    expect(out.at(-1)).toBe(day.at(-1));
    expect(out.map((p) => p.t)).toEqual([...out.map((p) => p.t)].sort((a, b) => a - b));
  });

  it('leaves a short series alone', () => {
    const short = day.slice(0, 300);
    expect(capPoints(short, pointsFor(800), ['v'])).toBe(short);
  });
});

describe('thresholdLabelRows', () => {
  const toPx = (y: number) => 300 - y * 4; // 4 px per unit, y grows downwards
  const budget = { y: 50, label: 'budget 50', color: 'a' };
  const plan = { y: 60, label: 'plan limit 60', color: 'b' };
  const max = { y: 60, label: 'max_connections 60', color: 'c' };

  it('puts lines at the same height on one label row, so their labels do not print over each other', () => {
    const rows = thresholdLabelRows([budget, plan, max], toPx);
    expect(rows.map((r) => r.lines.map((l) => l.label))).toEqual([['plan limit 60', 'max_connections 60'], ['budget 50']]);
    expect(rows[0]!.py).toBe(toPx(60));
  });

  it('joins lines closer than the gap, keeps lines further apart on their own rows', () => {
    expect(thresholdLabelRows([{ ...plan, y: 59 }, max], toPx, 12)).toHaveLength(1);
    expect(thresholdLabelRows([{ ...plan, y: 55 }, max], toPx, 12)).toHaveLength(2);
    expect(thresholdLabelRows([], toPx)).toEqual([]);
  });
});
