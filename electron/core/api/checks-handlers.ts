/**
 * Readiness runs and the checklist walkthrough over the contract. Profiles are named, never
 * given as a path (profile/discovery.ts finds them).
 */
import { randomUUID } from 'node:crypto';
import type { Handlers } from '../../../shared/contract';
import { ContractError } from '../../../shared/dispatch';
import type { ReadinessReport } from '../../../shared/schemas/readiness';
import { CATALOGUE } from '../checks/catalogue';
import { walkthroughHtml, walkthroughMarkdown } from '../checklist/export';
import { currentUserName, exportEvidence, signOff, startPhase, startWalkthrough, walkthroughView } from '../checklist/walkthrough';
import { planActiveProbes, requireActiveConsent } from '../engine/active-consent';
import { ConfigError, reportFromStoredRun, RunCancelledError, runChecks } from '../engine/run-checks';
import { ConsentError } from '../consent/verify-consent';
import { CapExceededError } from '../probes/active/guardrails';
import { loadProfileFile, profileFiles } from '../profile/discovery';
import type { LoadedProfile } from '../profile/load';
import { ChecksStore } from '../store/checks-store';
import type { EngineContext, FeatureHandlers } from './feature';
import { profileByName as load } from './named-profile';

type ChecksCallName = 'checks.catalogue' | 'checks.profiles' | 'checks.activePlan' | 'checks.run' | 'checks.cancel' | 'checks.latest' | 'checklist.view' | 'checklist.start' | 'checklist.phase' | 'checklist.sign' | 'checklist.export';

/** Engine errors a person can fix become contract errors with a clear code. */
function asContractError(err: unknown): never {
  if (err instanceof ConfigError) throw new ContractError(err.message, 'config_error');
  if (err instanceof RunCancelledError) throw new ContractError(err.message, 'cancelled');
  if (err instanceof ConsentError || err instanceof CapExceededError) throw new ContractError(err.message, err.code);
  throw err;
}

export function createChecksHandlers(ctx: EngineContext): FeatureHandlers<ChecksCallName> {
  let store: ChecksStore | null = null;
  const db = () => (store ??= new ChecksStore());
  const latest = new Map<string, ReadinessReport>();
  const running = new Map<string, AbortController>();
  const key = (p: string, e: string) => `${p}\u0000${e}`;
  const view = (loaded: LoadedProfile, environment: string) => walkthroughView(db(), loaded.profile, environment);

  const handlers: Pick<Handlers, ChecksCallName> = {
    'checks.catalogue': async () => CATALOGUE.map((c) => ({ id: c.id, title: c.title, category: c.category, severity: c.severity, fix: c.fix, probes: [...c.needs] })),
    'checks.profiles': async () =>
      [...profileFiles().entries()].map(([name, file]) => {
        try {
          const { profile } = loadProfileFile(file);
          return { profile: name, title: profile.description?.trim() ?? profile.name, environments: profile.environments.map((e) => ({ name: e.name, kind: e.kind })), hasChecklist: !!profile.checklist, error: null };
        } catch (err) {
          return { profile: name, title: null, environments: [], hasChecklist: false, error: err instanceof Error ? err.message : String(err) };
        }
      }),
    'checks.activePlan': async ({ profile, environment, only }) => {
      const planned = await planActiveProbes(load(profile), environment, only).catch(asContractError);
      return { ...planned, probes: planned.probes.map(({ probe, id, plan }) => ({ probe, id, plan })) };
    },
    'checks.run': async ({ profile, environment, only, allowActive, consent, runKey }) => {
      const loaded = load(profile);
      // Active probes need the person's typed consent to what checks.activePlan showed them;
      // a refusal is audited and nothing at all is sent.
      if (allowActive) {
        const planned = await planActiveProbes(loaded, environment, only).catch(asContractError);
        try {
          requireActiveConsent(planned, consent, 'ui');
        } catch (err) {
          asContractError(err);
        }
      }
      const id = runKey ?? randomUUID();
      const controller = new AbortController();
      running.set(id, controller);
      const report = await runChecks({
        signal: controller.signal,
        loaded,
        environment,
        only,
        allowActive,
        activeSource: 'ui',
        consents: consent,
        store: db(),
        onProgress: (p) => ctx.events.emit('checks.progress', { runKey: id, profile, environment, probe: p.probe, status: p.status, done: p.done, total: p.total }),
      })
        .catch(asContractError)
        .finally(() => running.delete(id));
      latest.set(key(profile, environment), report);
      return report;
    },
    'checks.cancel': async ({ runKey }) => {
      const controller = running.get(runKey);
      controller?.abort();
      return { cancelled: !!controller };
    },
    'checks.latest': async ({ profile, environment }) => {
      const inSession = latest.get(key(profile, environment));
      if (inSession) return inSession;
      const loaded = load(profile);
      // The newest complete run is the headline; with none yet, the newest partial run, labelled partial
      // (as the same session shows it before a restart).
      const run = db().latestRun(loaded.profile.name, environment, 'complete') ?? db().latestRun(loaded.profile.name, environment);
      return run ? reportFromStoredRun(run, db().latestComparableRun(run.profile, run.environment, run.results.map((r) => r.id), run.id), loaded.profile.score) : null;
    },
    'checklist.view': async ({ profile, environment }) => {
      const loaded = load(profile);
      if (!db().currentWalkthrough(loaded.profile.name, environment)) return null;
      return view(loaded, environment);
    },
    'checklist.start': async ({ profile, environment }) => {
      const loaded = load(profile);
      await startWalkthrough(db(), loaded, environment).catch(asContractError);
      return view(loaded, environment);
    },
    'checklist.phase': async ({ profile, environment, phaseId }) => {
      const loaded = load(profile);
      try {
        startPhase(db(), loaded.profile, environment, phaseId, currentUserName());
      } catch (err) {
        asContractError(err);
      }
      return view(loaded, environment);
    },
    'checklist.sign': async ({ profile, environment, stepId, name, note }) => {
      const loaded = load(profile);
      try {
        signOff(db(), loaded.profile, environment, stepId, name, note);
      } catch (err) {
        asContractError(err);
      }
      return view(loaded, environment);
    },
    'checklist.export': async ({ profile, environment, format }) => {
      const loaded = load(profile);
      let v;
      try {
        v = view(loaded, environment);
      } catch (err) {
        asContractError(err);
      }
      const results = exportEvidence(db(), v);
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
      return format === 'html'
        ? { filename: `${loaded.profile.name}-${environment}-checklist-${stamp}.html`, mimeType: 'text/html', content: walkthroughHtml(v, results) }
        : { filename: `${loaded.profile.name}-${environment}-checklist-${stamp}.md`, mimeType: 'text/markdown', content: walkthroughMarkdown(v, results) };
    },
  };
  return {
    handlers,
    async close() {
      store?.close();
      store = null;
    },
  };
}
