/**
 * One readiness run: resolve the environment, run the needed probes in parallel (each under
 * its own timeout; active ones only with allowActive), evaluate every check over the
 * observations, score, compare with the previous stored run, store this one.
 */
import type { Consent } from '../../../shared/schemas/active';
import type { CheckResult } from '../../../shared/schemas/check';
import type { ProbeSummary, ReadinessReport, RunDelta } from '../../../shared/schemas/readiness';
import { CATALOGUE } from '../checks/catalogue';
import type { CheckDefinition } from '../checks/define';
import type { Observations, ProbeName, ProbeOutcome, ProbeOutputs } from '../probes/outputs';
import type { LoadedProfile } from '../profile/load';
import type { Environment, UrlRef } from '../profile/schema';
import { resolveUrl, SecretUnavailableError } from '../profile/secrets';
import { scrubMessage } from '../util/redact';
import type { ChecksStore, StoredRun } from '../store/checks-store';
import { DEFAULT_SSE_THRESHOLDS, rateLimitReport, sseReport } from '../checks/active';
import { PROBES, type ActiveJudges, type ProbeRegistry, type ProbeRunContext, type ProbeRunner } from '../probes/registry';
import { scoreResults, type ScorePolicy } from './score';
import { InputError } from '../util/errors';

export class ConfigError extends InputError {
  override readonly code = 'config_error';
}

/** The run was cancelled before it finished; nothing is stored. */
export class RunCancelledError extends Error {
  readonly code = 'cancelled';
}

export interface RunChecksOptions {
  loaded: LoadedProfile;
  environment: string;
  only?: string[];
  allowActive?: boolean;
  /** The environment's name typed back: active probes on a production environment need it. */
  confirmEnvironment?: string;
  /** From the UI: the typed consents for the active probes (see active-consent.ts); required when activeSource is 'ui'. */
  consents?: Consent[];
  /** Who asked (recorded in the audit log by active probes); default 'cli'. */
  activeSource?: ProbeRunContext['activeSource'];
  store?: ChecksStore | null;
  env?: NodeJS.ProcessEnv;
  /** Called as each probe finishes, for progress displays. */
  onProgress?: (event: { probe: ProbeName; status: ProbeOutcome['status']; done: number; total: number }) => void;
  /** Cancels the run: every probe is aborted at once and runChecks rejects with RunCancelledError. */
  signal?: AbortSignal;
  /** Replace runners (tests, or features plugging in before they are wired here). */
  probes?: Partial<ProbeRegistry>;
}

export function findEnvironment(loaded: LoadedProfile, name: string): Environment {
  const env = loaded.profile.environments.find((e) => e.name === name);
  if (!env) throw new ConfigError(`environment "${name}" is not in ${loaded.file} (it has: ${loaded.profile.environments.map((e) => e.name).join(', ')})`);
  return env;
}

/** The checks this run evaluates: --only, minus those whose probe does not apply to the environment. */
export function selectChecks(loaded: LoadedProfile, environment: Environment, only: string[] | undefined, probes: ProbeRegistry): CheckDefinition[] {
  if (only?.length) {
    const unknown = only.filter((id) => !CATALOGUE.some((c) => c.id === id));
    if (unknown.length) throw new ConfigError(`unknown check id(s): ${unknown.join(', ')} (see \`preflight check --list\`)`);
  }
  const chosen = only?.length ? CATALOGUE.filter((c) => only.includes(c.id)) : CATALOGUE;
  if (only?.length) return [...chosen];
  return chosen.filter((c) => c.needs.every((p) => probes[p].notApplicable({ loaded, environment }) === null) && (c.notApplicable?.(environment) ?? null) === null);
}

/** Whether runProbe would really run this probe (applicable, allowed). */
function willRun(runner: ProbeRunner, ctx: Pick<ProbeRunContext, 'loaded' | 'environment'>, allowActive: boolean): boolean {
  return runner.notApplicable(ctx) === null && (!runner.active || allowActive);
}

/**
 * Every secret the run's probes will need must resolve before anything is probed: an unset
 * environment variable or a missing keychain entry is a configuration error (exit 2), named by
 * environment and reference — never a value — rather than a probe error that reads as "not ready".
 */
async function assertSecretsResolve(runners: ProbeRunner[], ctx: Pick<ProbeRunContext, 'loaded' | 'environment' | 'env'>, allowActive: boolean): Promise<void> {
  const refs = new Map<string, UrlRef>();
  for (const runner of runners) {
    if (!willRun(runner, ctx, allowActive)) continue;
    for (const target of runner.targets ?? []) {
      const ref = ctx.environment.targets[target]?.url;
      if (ref && typeof ref !== 'string') refs.set(ref.secret, ref);
    }
  }
  const problems: string[] = [];
  for (const ref of refs.values()) {
    try {
      await resolveUrl(ref, ctx.environment, ctx.env);
    } catch (err) {
      if (!(err instanceof SecretUnavailableError)) throw err;
      problems.push(err.message);
    }
  }
  if (problems.length) throw new ConfigError(`environment "${ctx.environment.name}" (${ctx.loaded.file}): cannot resolve ${problems.join('; ')}`);
}

async function runProbe<N extends ProbeName>(runner: ProbeRunner<N>, ctx: Omit<ProbeRunContext, 'signal'>, allowActive: boolean, cancel?: AbortSignal): Promise<ProbeOutcome<ProbeOutputs[N]>> {
  const reason = runner.notApplicable(ctx);
  if (reason) return { status: 'skipped', reason };
  if (runner.active && !allowActive) return { status: 'skipped', reason: `active probe not run: it sends load to the target, so it runs only when asked (tick "active probes" in the app, or --allow-active on the CLI)` };
  const controller = new AbortController();
  const at = new Date().toISOString();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let onCancel: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const timeoutMs = runner.timeoutFor?.(ctx) ?? runner.timeoutMs;
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    onCancel = () => {
      controller.abort();
      reject(new Error('cancelled'));
    };
    if (cancel?.aborted) onCancel();
    else cancel?.addEventListener('abort', onCancel, { once: true });
  });
  try {
    const data = await Promise.race([runner.run({ ...ctx, signal: controller.signal }), timeout]);
    return { status: 'ok', data, at, durationMs: performance.now() - started };
  } catch (err) {
    return { status: 'error', error: scrubMessage(err instanceof Error ? err.message : String(err)), at, durationMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
    if (onCancel) cancel?.removeEventListener('abort', onCancel);
  }
}

/**
 * The fix a result names: the profile's own words for it (its `fixes` entries whose
 * `verifiedBy` lists the check: "Supabase upgraded to Pro", "alembic upgrade head"), else the
 * check's generic text. A stack's names live in its profile, never in the catalogue.
 */
export function fixFor(check: Pick<CheckDefinition, 'id' | 'fix'>, fixes: LoadedProfile['profile']['fixes']): string {
  const own = fixes.filter((f) => f.verifiedBy.includes(check.id)).map((f) => f.title);
  return own.length ? own.join('; ') : check.fix;
}

/** One check over the observations: unknown (skipped/error) when a needed probe has no data. */
function evaluateCheck(check: CheckDefinition, observations: Observations, ctx: { expectations: LoadedProfile['profile']['expectations']; environment: Environment; fixes?: LoadedProfile['profile']['fixes'] }): CheckResult {
  const base = { id: check.id, title: check.title, category: check.category, severity: check.severity, fix: fixFor(check, ctx.fixes ?? []) };
  const data: Partial<ProbeOutputs> = {};
  let probeMs = 0;
  for (const name of check.needs) {
    const o = observations[name];
    if (!o) return { ...base, status: 'skipped', summary: `probe not available yet (${name})`, evidence: { probe: name }, durationMs: 0 };
    if (o.status === 'skipped') return { ...base, status: 'skipped', summary: o.reason, evidence: { probe: name }, durationMs: 0 };
    if (o.status === 'error') return { ...base, status: 'error', summary: `${name} probe failed: ${o.error}`, evidence: { probe: name, at: o.at }, durationMs: Math.round(o.durationMs * 10) / 10 };
    Object.assign(data, { [name]: o.data });
    probeMs = Math.max(probeMs, o.durationMs);
  }
  const started = performance.now();
  try {
    // Every probe in check.needs is ok here, so data holds exactly what evaluate is typed to receive.
    const verdict = check.evaluate(data as ProbeOutputs, check.readExpectations(ctx.expectations), { environment: ctx.environment });
    return { ...base, ...verdict, durationMs: Math.round((probeMs + performance.now() - started) * 10) / 10 };
  } catch (err) {
    return { ...base, status: 'error', summary: `check failed to evaluate: ${err instanceof Error ? err.message : String(err)}`, evidence: {}, durationMs: Math.round((probeMs + performance.now() - started) * 10) / 10 };
  }
}

/** The checks that judge an active run for its audit entry (probes never import checks). */
const ACTIVE_JUDGES: ActiveJudges = {
  ratelimit: (obs) => rateLimitReport(obs),
  sse: (obs, maxDbConnections) => sseReport(obs, { totalLimit: maxDbConnections ?? DEFAULT_SSE_THRESHOLDS.totalLimit, returnTolerance: 0 }),
};

const STATUS_ORDER = { fail: 0, error: 1, warn: 2, skipped: 3, pass: 4 } as const;
const SEVERITY_ORDER = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/** Failing first, then by severity: what a person should read first. */
function sortResults(results: CheckResult[]): CheckResult[] {
  return [...results].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.id.localeCompare(b.id));
}

/** What changed since `prev`: "60 → 85" and the checks whose status moved. */
function runDelta(prev: StoredRun, score: number, results: CheckResult[]): RunDelta {
  return {
    previousRunId: prev.id,
    previousScore: prev.score,
    previousVerdict: prev.verdict as RunDelta['previousVerdict'],
    previousAt: prev.finishedAt,
    change: `${prev.score} → ${score}`,
    statusChanges: results.map((r) => ({ id: r.id, from: prev.results.find((p) => p.id === r.id)?.status ?? null, to: r.status })).filter((c) => c.from !== c.to),
  };
}

/** A stored run as a report (probe timings are not stored, so `probes` is empty). */
export function reportFromStoredRun(run: StoredRun, before: StoredRun | null, policy: ScorePolicy): ReadinessReport {
  const score = scoreResults(run.results, policy);
  return {
    runId: run.id,
    profile: run.profile,
    environment: run.environment,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: Date.parse(run.finishedAt) - Date.parse(run.startedAt),
    readyAt: policy.readyAt,
    blockingSeverity: policy.blockingSeverity,
    ...score,
    probes: [],
    previous: before ? runDelta(before, score.score, run.results) : null,
    results: run.results,
    partial: run.partial,
  };
}

export async function runChecks(options: RunChecksOptions): Promise<ReadinessReport> {
  const { loaded } = options;
  const environment = findEnvironment(loaded, options.environment);
  const probes: ProbeRegistry = { ...PROBES, ...options.probes };
  const checks = selectChecks(loaded, environment, options.only, probes);
  const startedAt = new Date();
  const t0 = performance.now();
  const needed = [...new Set(checks.flatMap((c) => c.needs))];
  const ctx = { loaded, environment, store: options.store ?? null, env: options.env ?? process.env, activeSource: options.activeSource ?? 'cli', confirmEnvironment: options.confirmEnvironment, consents: options.consents, judges: ACTIVE_JUDGES };
  await assertSecretsResolve(needed.map((n) => probes[n]), ctx, options.allowActive ?? false);
  const observations: Observations = {};
  let done = 0;
  const runOne = async <N extends ProbeName>(name: N) => {
    const outcome = await runProbe(probes[name], ctx, options.allowActive ?? false, options.signal);
    (observations as { [K in N]?: ProbeOutcome<ProbeOutputs[K]> })[name] = outcome;
    options.onProgress?.({ probe: name, status: outcome.status, done: ++done, total: needed.length });
  };
  const runAll = (names: ProbeName[]) => Promise.all(names.map(runOne));
  // Passive probes first, all at once; the active ones after, so their load (bursts, held
  // streams) does not skew what the passive probes see, nor the other way round.
  // Active ones one at a time: a burst's requests would show up in the SSE probe's sessions.
  await runAll(needed.filter((n) => !probes[n].active));
  for (const name of needed.filter((n) => probes[n].active)) {
    if (options.signal?.aborted) break;
    await runAll([name]);
  }
  if (options.signal?.aborted) throw new RunCancelledError('the check run was cancelled; nothing was stored');
  const results = sortResults(checks.map((c) => evaluateCheck(c, observations, { expectations: loaded.profile.expectations, environment, fixes: loaded.profile.fixes })));
  const { readyAt, blockingSeverity } = loaded.profile.score;
  const score = scoreResults(results, loaded.profile.score);
  const finishedAt = new Date();
  const probeSummaries: ProbeSummary[] = needed.map((name) => {
    const o = observations[name]!;
    return { name, status: o.status, durationMs: o.status === 'skipped' ? null : Math.round(o.durationMs * 10) / 10, detail: o.status === 'ok' ? null : o.status === 'error' ? o.error : o.reason };
  });
  const store = options.store ?? null;
  // A run of chosen checks (--only) is partial: its score is never a readiness headline.
  const partial = !!options.only?.length;
  const prev = store?.latestComparableRun(loaded.profile.name, environment.name, results.map((r) => r.id)) ?? null;
  const previous = prev ? runDelta(prev, score.score, results) : null;
  const saved = store?.saveRun({ profile: loaded.profile.name, environment: environment.name, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), score: score.score, verdict: score.verdict, results, partial }) ?? null;
  return {
    runId: saved?.id ?? null,
    profile: loaded.profile.name,
    environment: environment.name,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: Math.round((performance.now() - t0) * 10) / 10,
    readyAt,
    blockingSeverity,
    ...score,
    probes: probeSummaries,
    previous,
    results,
    partial,
  };
}
