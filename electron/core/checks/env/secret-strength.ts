/** env.secret-strength: each listed secret is long enough (and hexadecimal when asked). */
import { z } from 'zod';
import { EnvVarName } from '../../profile/fields';
import { defineCheck, fail, pass } from '../define';
import { facts } from './facts';

export default defineCheck({
  id: 'env.secret-strength',
  title: 'Secrets are long enough',
  category: 'security',
  severity: 'high',
  fix: 'Token-signing secrets generated long and random (at least the length the profile asks for)',
  needs: ['envFile'],
  expectations: {
    envFile: {
      /** Secret variables and their minimum length in characters (and an optional format). */
      secrets: z.record(EnvVarName, z.strictObject({ minLength: z.number().int().positive(), format: z.enum(['hex', 'any']).default('any') })).default({}),
    },
  },
  evaluate({ envFile: obs }, { envFile: { secrets: rules } }) {
    const problems: string[] = [];
    const evidence: Record<string, unknown> = {};
    for (const [name, rule] of Object.entries(rules)) {
      const v = obs.variables[name];
      evidence[name] = { ...facts(obs, name), minLength: rule.minLength, format: rule.format, hex: v?.hex ?? null };
      if (!v || v.length === 0) problems.push(`${name} is missing`);
      else if (v.length < rule.minLength) problems.push(`${name} is ${v.length} characters, needs at least ${rule.minLength}`);
      else if (rule.format === 'hex' && !v.hex) problems.push(`${name} is not hexadecimal`);
    }
    const total = Object.keys(rules).length;
    if (problems.length) return fail(`${problems.length} of ${total} secrets too weak: ${problems.join('; ')}`, { file: obs.path, secrets: evidence });
    return pass(`All ${total} secrets meet their minimum length${total ? '' : ' (none listed)'} (${obs.path})`, { file: obs.path, secrets: evidence });
  },
});
