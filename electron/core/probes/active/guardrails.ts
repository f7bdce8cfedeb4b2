/**
 * Guardrails for active probes (DESIGN.md §3): they send real load to real servers, so a run
 * needs a manual trigger and matching consent, stays under hard caps, stops at once when
 * cancelled, never retries, and is written to the audit log whatever happens.
 */
import { setMaxListeners } from 'node:events';
import { ActiveProbeKind, type ActivePlan, type Consent, type StopReason } from '../../../../shared/schemas/active';
import { writeAudit } from '../../audit/audit-log';
import { verifyConsent } from '../../consent/verify-consent';
import type { ProbeName } from '../outputs';
import { InputError } from '../../util/errors';

// ---- Never schedulable -------------------------------------------------------------------

declare const manualBrand: unique symbol;
/** Proof that a person asked for this run now. Only `manualTrigger()` makes one. */
export interface ManualTrigger {
  readonly kind: 'manual';
  readonly source: 'cli' | 'ui' | 'test';
  readonly [manualBrand]: true;
}
/** What a scheduler or a profile hands out; no active probe accepts it (no brand). */
export interface ScheduledTrigger {
  readonly kind: 'scheduled';
  readonly source: 'monitor' | 'profile';
}

/** The active probes' ids: the registry's own (ProbeOutputs keys), from the one list in shared/schemas/active.ts. */
export const ACTIVE_PROBE_IDS: readonly ActiveProbeKind[] = ActiveProbeKind.options;
export type ActiveProbeId = ActiveProbeKind;
/** Probe ids a scheduler may accept: every id except the active ones, at compile time. */
export type Schedulable<Id extends string> = Id extends ActiveProbeId ? never : Id;
/** Probes only a watcher runs, beside the registry's: the launch watch's health loop, Sentry's stats, the periodic passive check run. */
export type WatchOnlyProbeId = 'httpHealth' | 'sentryStats' | 'checkRun';
/** Every probe Preflight has, in the registry's vocabulary (ProbeOutputs keys); the watchers and loops take only the schedulable ones. */
export type ProbeId = ProbeName | WatchOnlyProbeId;
export type SchedulableProbeId = Schedulable<ProbeId>;

export class NotSchedulableError extends Error {
  readonly code = 'not_schedulable';
}

const issuedTriggers = new WeakSet<object>();
const usedTriggers = new WeakSet<object>();

export function manualTrigger(source: ManualTrigger['source']): ManualTrigger {
  const trigger = Object.freeze({ kind: 'manual', source }) as ManualTrigger;
  issuedTriggers.add(trigger);
  return trigger;
}

/** Runtime half of the refusal: a forged, scheduled or reused trigger never starts a run. */
export function consumeManualTrigger(trigger: unknown): asserts trigger is ManualTrigger {
  const t = trigger as { kind?: unknown } | null;
  if (!t || typeof t !== 'object' || t.kind !== 'manual' || !issuedTriggers.has(t)) {
    throw new NotSchedulableError('Active probes run only when a person starts them; a scheduler or profile cannot run them.');
  }
  if (usedTriggers.has(t)) throw new NotSchedulableError('This manual trigger was already used: each active run needs its own request.');
  usedTriggers.add(t);
}

/** For schedulers and profile loaders: refuses the active probe ids. */
export function assertSchedulable(probeId: string): void {
  if ((ACTIVE_PROBE_IDS as readonly string[]).includes(probeId)) {
    throw new NotSchedulableError(`"${probeId}" is an active probe: it sends real traffic and never runs on a schedule (DESIGN.md §3).`);
  }
}

// ---- Consent ---------------------------------------------------------------------------
// Verified by electron/core/consent/verify-consent.ts (the one consent module), before every run.

// ---- Hard caps ---------------------------------------------------------------------------

export interface Caps {
  maxRequests: number;
  maxConcurrency: number;
  requestTimeoutMs: number;
  totalDeadlineMs: number;
  /** Stop when more than this share of responses are 5xx… */
  max5xxRatio: number;
  /** …once at least this many responses arrived. */
  min5xxSample: number;
}

export const DEFAULT_CAPS: Caps = {
  maxRequests: 500,
  maxConcurrency: 50,
  requestTimeoutMs: 5000,
  totalDeadlineMs: 60_000,
  max5xxRatio: 0.5,
  min5xxSample: 10,
};

/**
 * Hard maxima of the total deadline. Every run stops at DEFAULT_CAPS.totalDeadlineMs (60 s)
 * unless it must wait: a rate-limit run with the reset check may be given an explicit longer
 * deadline up to MAX_RESET_CHECK_DEADLINE_MS, and an SSE run takes its hold time plus the
 * settle wait, never more than MAX_SSE_DEADLINE_MS (120 s open + 12 s settle + margin).
 */
export const MAX_RESET_CHECK_DEADLINE_MS = 180_000;
export const MAX_SSE_DEADLINE_MS = 150_000;

export class CapExceededError extends InputError {
  override readonly code = 'cap_exceeded';
}

const defined = (caps: Partial<Caps>) => Object.fromEntries(Object.entries(caps).filter(([, v]) => v !== undefined));

/** The defaults, then a probe's own defaults (`base`), then what the person set. */
export function resolveCaps(overrides: Partial<Caps> = {}, base: Partial<Caps> = {}): Caps {
  const caps = { ...DEFAULT_CAPS, ...defined(base), ...defined(overrides) } as Caps;
  for (const [name, value] of Object.entries(caps)) {
    if (!Number.isFinite(value) || value <= 0) throw new CapExceededError(`Cap ${name} must be a positive number, got ${value}.`);
  }
  if (caps.max5xxRatio > 1) throw new CapExceededError('Cap max5xxRatio must be between 0 and 1.');
  return caps;
}

/** Refuses a plan that would break a cap before anything is sent. */
export function assertWithinCaps(plan: Pick<ActivePlan, 'requestCount' | 'maxConcurrency'>, caps: Caps): void {
  if (plan.requestCount > caps.maxRequests) {
    throw new CapExceededError(`Refused: the run would send ${plan.requestCount} requests, over the cap of ${caps.maxRequests} per run.`);
  }
  if (plan.maxConcurrency > caps.maxConcurrency) {
    throw new CapExceededError(`Refused: concurrency ${plan.maxConcurrency} is over the cap of ${caps.maxConcurrency}.`);
  }
}

/**
 * One run's live guard: hands out request slots up to the cap, watches the 5xx ratio, fires
 * the total deadline, and turns any stop into one AbortSignal every request listens to.
 */
export class RunGuard {
  private readonly controller = new AbortController();
  private readonly deadlineTimer: NodeJS.Timeout;
  private readonly detachExternal: () => void;
  private reason: StopReason | null = null;
  sent = 0;
  responses = 0;
  serverErrors = 0;

  constructor(
    readonly caps: Caps,
    external?: AbortSignal,
  ) {
    // Every in-flight request listens to this one signal (up to the concurrency cap).
    setMaxListeners(0, this.controller.signal);
    this.deadlineTimer = setTimeout(() => this.stop('deadline'), caps.totalDeadlineMs);
    const onAbort = () => this.stop('cancelled');
    if (external?.aborted) onAbort();
    external?.addEventListener('abort', onAbort, { once: true });
    this.detachExternal = () => external?.removeEventListener('abort', onAbort);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }
  get stopped(): boolean {
    return this.reason !== null;
  }
  get stopReason(): StopReason {
    return this.reason ?? 'completed';
  }

  /** Claims one request slot; false once stopped or at the cap (then nothing more is sent). */
  takeRequest(): boolean {
    if (this.reason) return false;
    if (this.sent >= this.caps.maxRequests) {
      this.stop('request-cap');
      return false;
    }
    this.sent += 1;
    return true;
  }

  recordStatus(status: number): void {
    this.responses += 1;
    if (status >= 500) this.serverErrors += 1;
    if (this.responses >= this.caps.min5xxSample && this.serverErrors / this.responses > this.caps.max5xxRatio) this.stop('5xx-threshold');
  }

  stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort(new Error(`active probe stopped: ${reason}`));
  }

  dispose(): void {
    clearTimeout(this.deadlineTimer);
    this.detachExternal();
  }
}

// ---- One guarded run ---------------------------------------------------------------------

export interface GuardedRunSpec {
  action: 'ratelimit.run' | 'sse.run';
  /** The URL traffic goes to (masked in the log). */
  target: string;
  trigger: ManualTrigger;
  plan: ActivePlan;
  consent: Consent | null | undefined;
  caps: Caps;
  signal?: AbortSignal;
}

/**
 * The only way an active probe starts: trigger, consent and caps are checked first (a refusal
 * is audited and sends nothing), then the work runs under a RunGuard and its outcome is audited.
 */
export async function runGuarded<T>(spec: GuardedRunSpec, work: (guard: RunGuard) => Promise<T>, summarize: (result: T, guard: RunGuard) => Record<string, unknown>): Promise<T> {
  const base = { action: spec.action, target: spec.target, environment: spec.plan.environment };
  try {
    consumeManualTrigger(spec.trigger);
    verifyConsent(spec.plan, spec.consent);
    assertWithinCaps(spec.plan, spec.caps);
  } catch (err) {
    writeAudit({ ...base, outcome: 'refused', details: { reason: (err as Error).message, plannedRequests: spec.plan.requestCount, source: (spec.trigger as { source?: string })?.source ?? null } });
    throw err;
  }
  writeAudit({ ...base, outcome: 'started', details: { plannedRequests: spec.plan.requestCount, caps: spec.caps, source: spec.trigger.source } });
  const guard = new RunGuard(spec.caps, spec.signal);
  try {
    const result = await work(guard);
    const details = { sent: guard.sent, stoppedBy: guard.stopReason, ...summarize(result, guard) };
    writeAudit({ ...base, outcome: guard.stopReason === 'cancelled' ? 'cancelled' : 'succeeded', details });
    return result;
  } catch (err) {
    writeAudit({ ...base, outcome: 'failed', details: { sent: guard.sent, stoppedBy: guard.stopReason, error: (err as Error).message } });
    throw err;
  } finally {
    guard.dispose();
  }
}
