import { describe, expect, it } from 'vitest';
import { yAxis } from '../renderer/src/components/y-axis';

describe('yAxis', () => {
  it('labels a count in whole numbers: an idle database (0 connections) gets 0 and 1, never 0, 0, 1, 1, 1', () => {
    expect(yAxis(1, true).ticks).toEqual([0, 1]);
    expect(yAxis(3, true).ticks).toEqual([0, 1, 2, 3]);
    expect(yAxis(0, true).ticks).toEqual([0, 1]);
    for (const top of [1, 2, 3, 7, 13, 48, 500]) {
      const { ticks } = yAxis(top, true);
      expect(ticks.every((t) => Number.isInteger(t))).toBe(true);
      expect(new Set(ticks.map((t) => Math.round(t))).size).toBe(ticks.length);
      expect(ticks.at(-1)!).toBeGreaterThanOrEqual(top);
    }
  });

  it('keeps round fractional steps for measures, ending on a gridline at or above the largest value', () => {
    expect(yAxis(1).ticks).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(yAxis(90).ticks).toEqual([0, 25, 50, 75, 100]);
    expect(yAxis(Number.NaN).top).toBe(1);
  });
});
