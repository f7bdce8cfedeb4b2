/**
 * The checklist walkthrough: phases and steps from the profile, state from the store.
 * An automated step is done when each bound check's latest result, from a run that started
 * after the step's phase did, is a pass. A manual step is done when it is signed off.
 */
import { userInfo } from 'node:os';
import type { CheckResult } from '../../../shared/schemas/check';
import type { StepView, WalkthroughView } from '../../../shared/schemas/checklist';
import type { Profile } from '../profile/schema';
import type { LoadedProfile } from '../profile/load';
import { profilePath } from '../profile/paths';
import { ConfigError, findEnvironment } from '../engine/run-checks';
import { observeEnvFile } from '../probes/static/env-file';
import type { ChecksStore, JournalEntry, StoredRun, Walkthrough } from '../store/checks-store';
import { recordDeployMarker, watchEvidence } from './watch-link';

export function currentUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function phasesOf(profile: Profile) {
  if (!profile.checklist) throw new ConfigError(`profile "${profile.name}" has no checklist section`);
  return profile.checklist.phases;
}

/** Starts a walkthrough and records salted fingerprints of the secrets to rotate. */
export async function startWalkthrough(store: ChecksStore, loaded: LoadedProfile, environmentName: string, by = currentUserName()): Promise<Walkthrough> {
  phasesOf(loaded.profile);
  const environment = findEnvironment(loaded, environmentName);
  const rotate = loaded.profile.expectations.envFile?.rotate ?? [];
  let baseline: { name: string; length: number; fingerprint: string }[] = [];
  if (rotate.length && environment.envFile) {
    const obs = await observeEnvFile(profilePath(loaded, environment.envFile), []);
    baseline = rotate.filter((n) => obs.variables[n]?.length).map((n) => ({ name: n, length: obs.variables[n]!.length, fingerprint: obs.variables[n]!.fingerprint }));
  }
  return store.startWalkthrough(loaded.profile.name, environment.name, by, baseline);
}

function requireWalkthrough(store: ChecksStore, profile: Profile, environment: string): Walkthrough {
  const w = store.currentWalkthrough(profile.name, environment);
  if (!w) throw new ConfigError(`no checklist walkthrough for ${profile.name} / ${environment}: run \`preflight checklist start\` first`);
  return w;
}

function phaseStarts(w: Walkthrough, journal: JournalEntry[]): Map<string, string> {
  const starts = new Map<string, string>([['pre-deploy', w.startedAt]]);
  for (const e of journal) if (e.kind === 'phase-start' && e.phaseId && !starts.has(e.phaseId)) starts.set(e.phaseId, e.at);
  return starts;
}

export function startPhase(store: ChecksStore, profile: Profile, environment: string, phaseId: string, by = currentUserName(), note: string | null = null): JournalEntry | null {
  const w = requireWalkthrough(store, profile, environment);
  if (!phasesOf(profile).some((p) => p.id === phaseId)) throw new ConfigError(`phase "${phaseId}" is not in the profile's checklist`);
  if (phaseStarts(w, store.journal(w.id)).has(phaseId)) return null;
  const entry = store.append({ walkthroughId: w.id, kind: 'phase-start', phaseId, stepId: null, name: by, at: new Date().toISOString(), note });
  // The deploy moment, drawn on every launch-watch chart and compared before/after in its report.
  if (phaseId === 'deploy') recordDeployMarker(profile.name, environment, entry.at, `deploy phase started by ${by}`);
  return entry;
}

export function signOff(store: ChecksStore, profile: Profile, environment: string, stepId: string, name: string, note: string | null): JournalEntry {
  const w = requireWalkthrough(store, profile, environment);
  if (!name.trim()) throw new ConfigError('a sign-off needs the name of the person signing');
  const phase = phasesOf(profile).find((p) => p.steps.some((s) => s.id === stepId));
  const step = phase?.steps.find((s) => s.id === stepId);
  if (!phase || !step) throw new ConfigError(`step "${stepId}" is not in the profile's checklist`);
  if (!step.manual) throw new ConfigError(`step "${stepId}" is automated: it ticks itself when ${step.checks.join(', ')} pass`);
  startPhase(store, profile, environment, phase.id, name);
  return store.append({ walkthroughId: w.id, kind: 'sign-off', phaseId: phase.id, stepId, name: name.trim(), at: new Date().toISOString(), note: note?.trim() || null });
}

function latestResult(runs: StoredRun[], checkId: string, since: string): { run: StoredRun; result: CheckResult } | null {
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]!;
    if (run.startedAt < since) break;
    const result = run.results.find((r) => r.id === checkId);
    if (result) return { run, result };
  }
  return null;
}

export function walkthroughView(store: ChecksStore, profile: Profile, environment: string): WalkthroughView {
  const w = requireWalkthrough(store, profile, environment);
  const journal = store.journal(w.id);
  const starts = phaseStarts(w, journal);
  const watched = watchEvidence(profile, environment, starts.get('first-24h') ?? null);
  const runs = store.runsSince(profile.name, environment, w.startedAt);
  const integrity = store.verifyJournal();
  const brokenRows = new Set(integrity.broken.map((b) => b.seq));
  const phases = phasesOf(profile).map((phase) => {
    const startedAt = starts.get(phase.id) ?? null;
    const steps: StepView[] = phase.steps.map((step) => {
      const checks = step.checks.map((id) => {
        const hit = startedAt ? latestResult(runs, id, startedAt) : null;
        return { id, status: hit?.result.status ?? null, summary: hit?.result.summary ?? null, runId: hit?.run.id ?? null, at: hit?.run.startedAt ?? null };
      });
      const sign = [...journal].reverse().find((e) => e.kind === 'sign-off' && e.stepId === step.id);
      const signOffView = sign ? { seq: sign.seq, name: sign.name, at: sign.at, note: sign.note, hash: sign.hash, intact: !brokenRows.has(sign.seq) } : null;
      const checksOk = checks.every((c) => c.status === 'pass');
      const checksRan = checks.some((c) => c.status !== null);
      // A step watched by a launch watch ticks only when its conditions held for a whole completed
      // watch; that verdict stands in for the person's sign-off of such a step.
      const watch = step.watch.length ? (watched.get(step.id) ?? null) : undefined;
      const signed = watch !== undefined ? watch?.held === true : !step.manual || signOffView !== null;
      const broken = watch !== undefined && watch !== null && !watch.held;
      const state: StepView['state'] = !startedAt ? 'not_started' : checksOk && signed ? 'done' : (checksRan && !checksOk) || broken ? 'failing' : 'pending';
      return { id: step.id, title: step.title, detail: step.detail ?? null, source: step.source ?? null, kind: step.checks.length && step.manual ? 'both' : step.checks.length ? 'automated' : 'manual', state, checks, signOff: signOffView, ...(watch !== undefined ? { watch } : {}) };
    });
    return { id: phase.id, title: phase.title, startedAt, steps };
  });
  // The headline comes only from the latest complete run; a newer partial run is listed apart.
  const latest = runs.filter((r) => !r.partial).at(-1) ?? null;
  const newerPartial = runs.filter((r) => r.partial && (!latest || r.id > latest.id)).at(-1) ?? null;
  const all = phases.flatMap((p) => p.steps);
  return {
    walkthroughId: w.id,
    profile: profile.name,
    environment,
    startedAt: w.startedAt,
    startedBy: w.startedBy,
    phases,
    integrity,
    journal: journal.map((e) => ({ seq: e.seq, kind: e.kind, phaseId: e.phaseId, stepId: e.stepId, name: e.name, at: e.at, note: e.note, hash: e.hash, prevHash: e.prevHash })),
    latestRun: latest ? { runId: latest.id, score: latest.score, verdict: latest.verdict, at: latest.finishedAt } : null,
    latestPartialRun: newerPartial ? { runId: newerPartial.id, checks: newerPartial.results.length, score: newerPartial.score, verdict: newerPartial.verdict, at: newerPartial.finishedAt } : null,
    done: all.filter((s) => s.state === 'done').length,
    total: all.length,
  };
}

/** The results an export attaches: those of the view's latest run, never a run older than the walkthrough. */
export function exportEvidence(store: ChecksStore, view: WalkthroughView): CheckResult[] {
  // One row, not every run since the start: the newest run counts only if the walkthrough was under way.
  const run = store.latestRun(view.profile, view.environment, 'complete');
  return run && run.startedAt >= view.startedAt ? run.results : [];
}
