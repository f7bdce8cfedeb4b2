/** env.required: every required variable is set, and the non-secret ones that must equal a value do. */
import { z } from 'zod';
import { EnvVarName } from '../../profile/fields';
import { defineCheck, fail, pass } from '../define';
import { facts } from './facts';

export default defineCheck({
  id: 'env.required',
  title: 'Every production environment variable is set',
  category: 'security',
  severity: 'critical',
  fix: 'Every variable production needs is set on the backend (error tracking DSN, secrets, payment and API keys, CORS origins, the environment name)',
  needs: ['envFile'],
  expectations: {
    envFile: {
      required: z.array(EnvVarName).default([]),
      /** Variables that must have exactly this value (non-secret, e.g. ENVIRONMENT=production). */
      equals: z.record(EnvVarName, z.string()).default({}),
    },
  },
  evaluate({ envFile: obs }, { envFile: exp }) {
    const missing = exp.required.filter((n) => !obs.variables[n]?.length);
    const wrong = Object.entries(exp.equals)
      .filter(([n, want]) => obs.publicValues[n] !== want)
      .map(([n, want]) => `${n} must be "${want}" (is ${obs.publicValues[n] === undefined ? 'unset' : `"${obs.publicValues[n]}"`})`);
    const evidence = {
      file: obs.path,
      variables: Object.fromEntries(exp.required.map((n) => [n, facts(obs, n)])),
      expectedValues: Object.fromEntries(Object.keys(exp.equals).map((n) => [n, { expected: exp.equals[n], actual: obs.publicValues[n] ?? null }])),
    };
    if (missing.length || wrong.length) {
      return fail([missing.length ? `${missing.length} of ${exp.required.length} required variables missing or empty: ${missing.join(', ')}` : '', ...wrong].filter(Boolean).join('; ') + ` (${obs.path})`, { ...evidence, missing });
    }
    return pass(`All ${exp.required.length} required variables are set${Object.keys(exp.equals).length ? ` with ${Object.entries(exp.equals).map(([n, v]) => `${n}=${v}`).join(', ')}` : ''} (${obs.path})`, evidence);
  },
});
