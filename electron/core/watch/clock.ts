/**
 * Detects time the watch did not see: the wall clock against the monotonic clock between two
 * heartbeats. A system suspend stops the monotonic clock but not the wall clock (forward jump →
 * "sleep"); a wall clock set back is a "clock" gap; a process that was not scheduled at all
 * (SIGSTOP, a frozen VM) shows both clocks far past the heartbeat ("sleep" too: nothing ran).
 * A forward clock step looks exactly like a suspend from inside the process; both are gaps.
 */
import { performance } from 'node:perf_hooks';

export interface Clock {
  wall(): number;
  mono(): number;
}

export const systemClock: Clock = { wall: () => Date.now(), mono: () => performance.now() };

export interface ClockGap {
  from: number;
  to: number;
  cause: 'sleep' | 'clock';
  detail: string;
}

export class GapDetector {
  private lastWall: number;
  private lastMono: number;

  constructor(
    private readonly clock: Clock,
    /** Heartbeat period, ms: a stall beyond a few of these is a gap. */
    private readonly heartbeatMs: number,
    /** Disagreement between the clocks tolerated before calling it a gap, ms. */
    private readonly toleranceMs = Math.max(2000, heartbeatMs * 2),
  ) {
    this.lastWall = clock.wall();
    this.lastMono = clock.mono();
  }

  /** Call on every heartbeat; returns the gap since the previous one, if any. */
  check(): ClockGap | null {
    const wall = this.clock.wall();
    const mono = this.clock.mono();
    const dWall = wall - this.lastWall;
    const dMono = mono - this.lastMono;
    const from = this.lastWall;
    this.lastWall = wall;
    this.lastMono = mono;
    const skew = dWall - dMono;
    if (skew < -this.toleranceMs) return { from: wall, to: wall, cause: 'clock', detail: `wall clock went back ${Math.round(-skew / 1000)} s against the monotonic clock` };
    if (skew > this.toleranceMs) return { from, to: wall, cause: 'sleep', detail: `the machine slept or the clock jumped forward: ${Math.round(dWall / 1000)} s of wall time, ${Math.round(dMono / 1000)} s of monotonic time` };
    if (dMono > this.heartbeatMs + Math.max(this.toleranceMs, this.heartbeatMs * 3)) return { from, to: wall, cause: 'sleep', detail: `the process did not run for ${Math.round(dMono / 1000)} s (suspended or stalled)` };
    return null;
  }
}
