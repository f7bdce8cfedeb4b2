/**
 * One launch watch: samples every target on its own interval (jittered, never overlapping — a
 * busy loop skips and counts), evaluates the profile's alerts on each value, and writes what
 * a tick produced in ONE store transaction every `tickMs`. A down target is retried with
 * capped, jittered backoff and recorded as an "unreachable" gap; an authentication failure
 * stops that target and raises an alert (no lockouts). Sleep and clock jumps become gaps and
 * the connections are rebuilt. `resume` continues the newest unfinished session of the same
 * profile and environment, recording the time it was not running as a "stopped" gap.
 */
import type { LoadedProfile } from '../profile/load';
import type { AlertTransition, GapRecord, SamplePoint, TargetState, TickWrite, WatchSessionRow, WatchStore } from '../store/watch-store';
import { AlertEvaluator, type AlertSnapshot } from './alert-evaluator';
import { resolveAlertRules } from './alert-rules';
import { GapDetector, systemClock, type Clock } from './clock';
import { unitOf, type MetricValues } from './metrics';
import { buildTargets, DEFAULT_INTERVALS, type WatchIntervals, type WatchTarget } from './targets';
import { UnreachableError } from '../util/errors';

export type WatchEvent =
  | { type: 'start'; at: string; session: string; resumed: boolean; plannedEnd: string; targets: { name: string; label: string; intervalMs: number }[] }
  | { type: 'sample'; at: string; values: MetricValues; targets: Record<string, { status: string; skipped: number; failures: number }> }
  | { type: 'alert'; at: string; rule: string; state: 'pending' | 'firing' | 'resolved'; value: number | null; message: string }
  | { type: 'gap'; at: string; from: string; to: string; cause: GapRecord['cause']; target: string | null; detail: string }
  | { type: 'check-run'; at: string; score: number; verdict: string; failing: string[] }
  | { type: 'marker'; at: string; label: string; source: string }
  | { type: 'end'; at: string; status: 'completed' | 'stopped'; alertsFired: number; verdict: unknown };

export class NothingReachableError extends UnreachableError {
  override readonly code = 'nothing_reachable';
}

export interface WatchOptions {
  loaded: LoadedProfile;
  environment: string;
  store: WatchStore;
  durationMs: number;
  /** How often one tick's rows are committed (and a `sample` event is emitted). */
  tickMs?: number;
  intervals?: Partial<WatchIntervals>;
  rateWindowMs?: number;
  resume?: boolean;
  /** ±share of each interval added at random so targets do not sample in lock-step. */
  jitter?: number;
  env?: NodeJS.ProcessEnv;
  clock?: Clock;
  onEvent?: (event: WatchEvent) => void;
  /** Computes the end verdict from the store (report module); kept apart so this file stays one job. */
  verdict?: (store: WatchStore, sessionId: string) => unknown;
}

interface TargetRun {
  target: WatchTarget;
  status: 'up' | 'down' | 'auth-failed' | 'starting';
  failures: number;
  consecutive: number;
  lastError: string | null;
  timer: NodeJS.Timeout | null;
  /** The gap of the current outage: the buffered record until it is written, then its row id. */
  outage: { record: GapRecord; id: number | null } | null;
  inFlight: Promise<void> | null;
}

const iso = (t: number) => new Date(t).toISOString();

export class WatchSession {
  session!: WatchSessionRow;
  private readonly o: Required<Pick<WatchOptions, 'tickMs' | 'rateWindowMs' | 'jitter'>> & WatchOptions;
  private readonly clock: Clock;
  private runs: TargetRun[] = [];
  private evaluator!: AlertEvaluator;
  private gapDetector!: GapDetector;
  private pending: { samples: SamplePoint[]; alerts: AlertTransition[]; gaps: GapRecord[]; closeGaps: { id: number; to: number }[]; checkRun?: TickWrite['checkRun'] } = { samples: [], alerts: [], gaps: [], closeGaps: [] };
  private latest: MetricValues = {};
  private tickTimer: NodeJS.Timeout | null = null;
  private lastMarkerId = 0;
  private stopping = false;
  private finished: Promise<number> | null = null;
  private resolveFinished: ((code: number) => void) | null = null;
  private rebuilding = false;

  constructor(options: WatchOptions) {
    this.o = { tickMs: 5000, rateWindowMs: 3_600_000, jitter: 0.1, ...options };
    this.clock = options.clock ?? systemClock;
  }

  get alerts(): AlertSnapshot[] {
    return this.evaluator?.snapshot() ?? [];
  }
  get latestValues(): MetricValues {
    return { ...this.latest };
  }
  get targetStates(): TargetState[] {
    return this.runs.map((r) => ({ target: r.target.name, status: r.status, skipped: r.target.loop.skippedTicks, failures: r.failures, lastError: r.lastError }));
  }
  get alertsFired(): number {
    return this.evaluator?.firedCount ?? 0;
  }

  /** Starts (or resumes) the session; rejects with NothingReachableError when no target answers. */
  async start(): Promise<WatchSessionRow> {
    const { loaded, environment, store } = this.o;
    const { rules } = resolveAlertRules(loaded.profile);
    this.evaluator = new AlertEvaluator(rules);
    const intervals = { ...DEFAULT_INTERVALS, ...this.o.intervals };
    const targets = await buildTargets({ loaded, environment, intervals, rateWindowMs: this.o.rateWindowMs, env: this.o.env });
    this.runs = targets.map((target) => ({ target, status: 'starting', failures: 0, consecutive: 0, lastError: null, timer: null, outage: null, inFlight: null }));
    const now = this.clock.wall();
    const previous = this.o.resume ? store.resumable(loaded.profile.name, environment) : null;
    if (previous) {
      this.session = previous;
      this.evaluator.restore(store.alerts(previous.id));
      const from = previous.lastTickAt ?? previous.startedAt;
      if (now > from) this.pending.gaps.push({ target: null, from, to: now, cause: 'stopped', detail: 'the watch was not running (stopped, crashed or the machine was off)' });
      store.setStatus(previous.id, 'running', now);
      this.lastMarkerId = 0;
    } else {
      this.session = store.createSession({
        profile: loaded.profile.name,
        environment,
        profileFile: loaded.file,
        startedAt: now,
        plannedEnd: now + this.o.durationMs,
        options: { tickMs: this.o.tickMs, intervals, rateWindowMs: this.o.rateWindowMs, rules: rules.map((r) => ({ id: r.id, metric: r.metric, op: r.op, value: r.value, forSeconds: r.forSeconds, thresholdFrom: r.thresholdFrom })) },
      });
    }
    // Markers written before this session began (e.g. the deploy an hour ago) are reported, not re-announced.
    this.lastMarkerId = Math.max(0, ...store.markers(loaded.profile.name, environment, 0, now).map((m) => m.id));
    this.emit({ type: 'start', at: iso(now), session: this.session.id, resumed: previous !== null, plannedEnd: iso(this.session.plannedEnd), targets: targets.map((t) => ({ name: t.name, label: t.label, intervalMs: t.intervalMs })) });
    for (const g of this.pending.gaps) this.emitGap(g);

    // First round: every target once; nothing answering at all is exit 3.
    await Promise.all(this.runs.map((r) => this.sampleOnce(r)));
    const reachable = this.runs.filter((r) => r.target.name !== 'checks' && r.status === 'up');
    const probed = this.runs.filter((r) => r.target.name !== 'checks');
    if (probed.length > 0 && reachable.length === 0) {
      this.flush();
      store.setStatus(this.session.id, 'failed', this.clock.wall());
      await this.closeTargets();
      throw new NothingReachableError(`nothing answered: ${probed.map((r) => `${r.target.name}: ${r.lastError ?? 'no answer'}`).join('; ')}`);
    }
    this.flush();
    this.gapDetector = new GapDetector(this.clock, this.o.tickMs);
    for (const r of this.runs) if (r.status !== 'auth-failed') this.schedule(r, this.nextDelay(r));
    this.tickTimer = setInterval(() => this.tick(), this.o.tickMs);
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    return this.session;
  }

  /** Resolves with the exit code when the watch ends (planned end or stop()). */
  done(): Promise<number> {
    return this.finished ?? Promise.resolve(this.alertsFired > 0 ? 1 : 0);
  }

  private emit(e: WatchEvent): void {
    this.o.onEvent?.(e);
  }

  private emitGap(g: GapRecord): void {
    this.emit({ type: 'gap', at: iso(this.clock.wall()), from: iso(g.from), to: iso(g.to ?? this.clock.wall()), cause: g.cause, target: g.target, detail: g.detail });
  }

  private nextDelay(r: TargetRun): number {
    const base = r.target.intervalMs;
    if (r.status === 'down' && r.consecutive > 0) {
      // Capped exponential backoff with full jitter in its upper half: a down target is not hammered.
      const cap = Math.max(base, Math.min(60_000, base * 12));
      const ceiling = Math.min(cap, base * 2 ** Math.min(r.consecutive, 16));
      return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    }
    return Math.max(10, Math.round(base * (1 + (Math.random() * 2 - 1) * this.o.jitter)));
  }

  private schedule(r: TargetRun, delay: number): void {
    if (this.stopping) return;
    r.timer = setTimeout(() => {
      // Re-armed before sampling: a stalled sample makes the next due tick skip (and count), never queue.
      this.schedule(r, this.nextDelay(r));
      void this.sampleOnce(r);
    }, delay);
    r.timer.unref?.();
  }

  private async sampleOnce(r: TargetRun): Promise<void> {
    const tick = await r.target.loop.tick();
    if (this.stopping) return;
    const at = Date.parse(tick.at) || this.clock.wall();
    if (tick.status === 'skipped') return;
    if (tick.status === 'up' && tick.sample) {
      if (r.outage) this.endOutage(r, at);
      r.status = 'up';
      r.consecutive = 0;
      r.lastError = null;
      const values = r.target.values(tick);
      this.record(values, at);
      const run = r.target.checkRun?.(tick);
      if (run) {
        this.pending.checkRun = { at, ...run };
        this.emit({ type: 'check-run', at: iso(at), ...run });
      }
      return;
    }
    r.failures++;
    r.consecutive++;
    r.lastError = tick.error;
    if (/Authentication failed/i.test(tick.error ?? '')) {
      r.status = 'auth-failed';
      if (r.timer) clearTimeout(r.timer);
      r.timer = null;
      const t = this.evaluator.raise(`target.${r.target.name}.auth`, `${r.target.name}: ${tick.error} — retries stopped (no lockouts); fix the secret and resume`, at);
      if (t) this.pushAlert(t);
      this.record(r.target.downValues, at);
      return;
    }
    r.status = 'down';
    if (!r.outage) {
      const record: GapRecord = { target: r.target.name, from: at, to: null, cause: 'unreachable', detail: tick.error ?? 'no answer' };
      r.outage = { record, id: null };
      this.pending.gaps.push(record);
    }
    this.record(r.target.downValues, at);
  }

  private endOutage(r: TargetRun, at: number): void {
    const outage = r.outage!;
    outage.record.to = at;
    if (outage.id !== null) this.pending.closeGaps.push({ id: outage.id, to: at });
    this.emitGap(outage.record);
    r.outage = null;
  }

  private record(values: MetricValues, at: number): void {
    for (const [name, v] of Object.entries(values)) {
      this.latest[name] = v;
      this.pending.samples.push({ series: name, unit: unitOf(name), t: at, v });
    }
    for (const t of this.evaluator.observe(values, at)) this.pushAlert(t);
  }

  private pushAlert(t: AlertTransition): void {
    this.pending.alerts.push(t);
    this.emit({ type: 'alert', at: iso(t.at), rule: t.rule, state: t.state, value: t.value, message: t.message });
  }

  /** One tick: gap check, markers, then everything buffered in one transaction. */
  private tick(): void {
    const gap = this.gapDetector.check();
    if (gap) {
      const record: GapRecord = { target: null, from: gap.from, to: gap.to, cause: gap.cause, detail: gap.detail };
      this.pending.gaps.push(record);
      this.emitGap(record);
      void this.rebuildAll();
    }
    const now = this.clock.wall();
    for (const m of this.o.store.markers(this.session.profile, this.session.environment, 0, now + 60_000, this.lastMarkerId)) {
      this.lastMarkerId = Math.max(this.lastMarkerId, m.id);
      this.emit({ type: 'marker', at: iso(m.at), label: m.label, source: m.source });
    }
    this.flush();
    this.emit({ type: 'sample', at: iso(now), values: this.latestValues, targets: Object.fromEntries(this.targetStates.map((t) => [t.target, { status: t.status, skipped: t.skipped, failures: t.failures }])) });
    if (now >= this.session.plannedEnd) void this.stop('completed');
  }

  private flush(): void {
    const p = this.pending;
    this.pending = { samples: [], alerts: [], gaps: [], closeGaps: [] };
    const ids = this.o.store.writeTick(this.session.id, { at: this.clock.wall(), samples: p.samples, alerts: p.alerts, gaps: p.gaps, closeGaps: p.closeGaps, targets: this.targetStates, checkRun: p.checkRun });
    // Outages written open get their row id, so the tick that ends them closes that row.
    p.gaps.forEach((g, i) => {
      const run = this.runs.find((r) => r.outage?.record === g);
      if (run && g.to === null) run.outage!.id = ids[i]!;
    });
  }

  private async rebuildAll(): Promise<void> {
    if (this.rebuilding) return;
    this.rebuilding = true;
    try {
      await Promise.all(this.runs.filter((r) => r.status !== 'auth-failed').map((r) => r.target.rebuild()));
    } finally {
      this.rebuilding = false;
    }
  }

  private async closeTargets(): Promise<void> {
    for (const r of this.runs) if (r.timer) clearTimeout(r.timer);
    await Promise.all(this.runs.map((r) => r.target.loop.stop().catch(() => undefined)));
  }

  /** Ends the watch: 'completed' at the planned end, 'stopped' when asked (resumable). Returns the exit code. */
  async stop(status: 'completed' | 'stopped' = 'stopped'): Promise<number> {
    if (this.stopping) return this.done();
    this.stopping = true;
    if (this.tickTimer) clearInterval(this.tickTimer);
    await this.closeTargets();
    const now = this.clock.wall();
    // Outages still open end with the watch.
    for (const r of this.runs) if (r.outage) this.endOutage(r, now);
    this.flush();
    this.o.store.setStatus(this.session.id, status, now);
    const verdict = this.o.verdict?.(this.o.store, this.session.id) ?? null;
    this.o.store.setStatus(this.session.id, status, now, verdict);
    const code = this.alertsFired > 0 ? 1 : 0;
    this.emit({ type: 'end', at: iso(now), status, alertsFired: this.alertsFired, verdict });
    this.resolveFinished?.(code);
    return code;
  }
}
