/** Sleep and clock jumps (wall against monotonic time) become gaps; min/max decimation keeps spikes and breaks at gaps. */
import { describe, expect, it } from 'vitest';
import { GapDetector, type Clock } from '../../electron/core/watch/clock';
import { decimateMinMax } from '../../electron/core/watch/decimate';

function fakeClock(): Clock & { advance(wallMs: number, monoMs: number): void } {
  let wall = Date.parse('2026-12-01T12:00:00Z');
  let mono = 1000;
  return { wall: () => wall, mono: () => mono, advance: (w, m) => ((wall += w), (mono += m)) };
}

describe('gap detector', () => {
  it('steady heartbeats are no gap', () => {
    const c = fakeClock();
    const d = new GapDetector(c, 5000);
    for (let i = 0; i < 10; i++) {
      c.advance(5000, 5000);
      expect(d.check()).toBeNull();
    }
  });

  it('a suspend (wall clock runs, monotonic does not) is a sleep gap from the last heartbeat', () => {
    const c = fakeClock();
    const d = new GapDetector(c, 5000);
    const before = c.wall();
    c.advance(3_600_000, 5000);
    const gap = d.check()!;
    expect(gap.cause).toBe('sleep');
    expect(gap.from).toBe(before);
    expect(gap.to).toBe(before + 3_600_000);
  });

  it('a wall clock set back is a clock gap', () => {
    const c = fakeClock();
    const d = new GapDetector(c, 5000);
    c.advance(-600_000, 5000);
    expect(d.check()!.cause).toBe('clock');
  });

  it('a process that did not run (both clocks far past the heartbeat) is a gap too', () => {
    const c = fakeClock();
    const d = new GapDetector(c, 1000);
    c.advance(60_000, 60_000);
    expect(d.check()!.cause).toBe('sleep');
  });
});

describe('min/max decimation', () => {
  const day = 86_400_000;
  const points = Array.from({ length: 17_280 }, (_, i) => ({ t: i * 5000, v: i === 9_000 ? 100 : 1 + (i % 3) * 0.01 }));

  it('keeps a single-sample spike at 24 h within about 2 points per pixel', () => {
    const out = decimateMinMax(points, 0, day, 800, 15_000);
    expect(out.length).toBeLessThanOrEqual(1600);
    expect(out.some((p) => p.v === 100)).toBe(true);
  });

  it('breaks the line at a gap instead of joining across it', () => {
    const withGap = points.filter((p) => p.t < 3_600_000 || p.t > 7_200_000);
    const out = decimateMinMax(withGap, 0, day, 800, 15_000);
    const nullAt = out.findIndex((p) => p.v === null);
    expect(nullAt).toBeGreaterThan(0);
    expect(out[nullAt - 1]!.t).toBeLessThan(3_600_000 + 1);
    expect(out[nullAt + 1]!.t).toBeGreaterThan(7_200_000);
    // A stored null (target down) breaks it too.
    const down = decimateMinMax([{ t: 0, v: 1 }, { t: 5000, v: null }, { t: 10_000, v: 2 }], 0, 10_000, 10, 60_000);
    expect(down.map((p) => p.v)).toEqual([1, null, 2]);
  });
});
