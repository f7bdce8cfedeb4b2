/** secrets.rotated: every secret differs from its salted fingerprint taken at checklist start. */
import type { EnvFileObservation } from '../probes/static/env-file';
import { fail, pass, skipped, type CheckContext, type Verdict } from './types';

export interface SecretsBaselineObservation {
  walkthroughId: string | null;
  startedAt: string | null;
  baseline: { name: string; length: number; fingerprint: string }[];
}

export function evaluateSecretsRotated(env: EnvFileObservation, base: SecretsBaselineObservation, ctx: CheckContext): Verdict {
  const names = ctx.expectations.envFile?.rotate ?? [];
  if (names.length === 0) return skipped('The profile lists no secrets to rotate (expectations.envFile.rotate)');
  if (!base.walkthroughId) return skipped('No checklist walkthrough started yet: `preflight checklist start` records the fingerprints to compare with', {});
  const before = new Map(base.baseline.map((b) => [b.name, b]));
  const rows = names.map((name) => {
    const now = env.variables[name];
    const then = before.get(name);
    const state = !now?.length ? 'missing now' : !then ? 'not in the baseline' : then.fingerprint === now.fingerprint ? 'unchanged' : 'rotated';
    return { name, state, baselineFingerprint: then?.fingerprint ?? null, currentFingerprint: now?.fingerprint ?? null, baselineLength: then?.length ?? null, currentLength: now?.length ?? null };
  });
  const notRotated = rows.filter((r) => r.state !== 'rotated');
  const evidence = { file: env.path, baselineTakenAt: base.startedAt, walkthroughId: base.walkthroughId, secrets: rows };
  if (notRotated.length) return fail(`${notRotated.length} of ${names.length} secrets not rotated since ${base.startedAt}: ${notRotated.map((r) => `${r.name} (${r.state})`).join(', ')}`, evidence);
  return pass(`All ${names.length} secrets differ from their fingerprints taken at ${base.startedAt}`, evidence);
}
