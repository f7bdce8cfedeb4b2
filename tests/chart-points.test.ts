/** Charts draw at most ~2 points per pixel without hiding a spike or an outage (DESIGN.md §5). */
import { describe, expect, it } from 'vitest';
import { capPoints, pointsFor } from '../renderer/src/components/cap-points';

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
