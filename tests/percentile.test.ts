/**
 * The one percentile (shared/percentile.ts) behind the report's p95, the Endpoints page's p50/p95
 * and the benchmarks' figures: nearest rank, one of the values given.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile } from '../shared/percentile';

describe('percentile (nearest rank)', () => {
  it('of 1..100 the p-th percentile is p; p0 is the smallest value, p100 the largest', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect([0, 1, 50, 95, 99, 100].map((p) => percentile(values, p))).toEqual([1, 1, 50, 95, 99, 100]);
  });
  it('small samples: the rank rounds up, never interpolates', () => {
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([10, 20, 30, 40], 95)).toBe(40);
    expect(percentile([7], 95)).toBe(7);
  });
  it('null for no values; the input is left unsorted; a p outside 0..100 is refused', () => {
    expect(percentile([], 95)).toBeNull();
    const values = [3, 1, 2];
    expect(percentile(values, 50)).toBe(2);
    expect(values).toEqual([3, 1, 2]);
    for (const p of [-1, 101, Number.NaN]) expect(() => percentile(values, p)).toThrow(RangeError);
  });
  it('is the smallest value with at least p % of the values at or below it', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 200 }), fc.integer({ min: 0, max: 100 }), (values, p) => {
        const v = percentile(values, p)!;
        expect(values).toContain(v);
        const atOrBelow = values.filter((x) => x <= v).length;
        const below = values.filter((x) => x < v).length;
        expect(atOrBelow * 100).toBeGreaterThanOrEqual(p * values.length);
        // Any smaller value of the sample would cover less than p %.
        if (below > 0) expect(below * 100).toBeLessThan(Math.max(p, 1) * values.length);
      }),
    );
  });
});
