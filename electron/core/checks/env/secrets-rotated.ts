/** secrets.rotated: every listed secret differs from its salted fingerprint taken when the checklist started. */
import { z } from 'zod';
import { EnvVarName } from '../../profile/fields';
import { defineCheck, fail, pass, skipped } from '../define';

export default defineCheck({
  id: 'secrets.rotated',
  title: 'Every secret rotated since the checklist started',
  category: 'security',
  severity: 'critical',
  fix: 'All secrets rotated before launch (the checklist’s pre-deploy step)',
  needs: ['envFile', 'secretsBaseline'],
  expectations: {
    envFile: {
      /** Secrets that must differ from their fingerprint at checklist start. */
      rotate: z.array(EnvVarName).default([]),
    },
  },
  evaluate({ envFile: env, secretsBaseline: base }, { envFile: { rotate: names } }) {
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
  },
});
