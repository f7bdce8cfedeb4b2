/** Static checks over a backend .env file: required variables, secret strength, CORS origins. */
import type { EnvFileObservation } from '../probes/static/env-file';
import { fail, pass, warn, type CheckContext, type Verdict } from './types';

function envExpectations(ctx: CheckContext) {
  return ctx.expectations.envFile ?? { required: [], secrets: {}, equals: {}, corsVariable: undefined, rotate: [] };
}

/** What may be shown about a variable: presence, length, fingerprint — never the value. */
function facts(obs: EnvFileObservation, name: string) {
  const v = obs.variables[name];
  return v ? { present: v.length > 0, length: v.length, fingerprint: v.fingerprint, line: v.line } : { present: false };
}

export function evaluateEnvRequired(obs: EnvFileObservation, ctx: CheckContext): Verdict {
  const exp = envExpectations(ctx);
  const missing = exp.required.filter((n) => !(obs.variables[n]?.length));
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
}

export function evaluateSecretStrength(obs: EnvFileObservation, ctx: CheckContext): Verdict {
  const rules = envExpectations(ctx).secrets;
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
}

/** CORS_ORIGINS as pydantic settings accept it: a JSON list or a comma-separated string. */
export function parseOriginList(raw: string): string[] {
  const text = raw.trim();
  if (text.startsWith('[')) {
    try {
      const list = JSON.parse(text) as unknown;
      if (Array.isArray(list)) return list.map((x) => String(x).trim()).filter(Boolean);
    } catch {
      /* fall through to comma splitting */
    }
  }
  return text.split(',').map((s) => s.trim().replace(/^["']|["']$/g, '')).filter(Boolean);
}

const normaliseOrigin = (o: string) => o.replace(/\/+$/, '').toLowerCase();

export function evaluateCorsOrigins(obs: EnvFileObservation, ctx: CheckContext): Verdict {
  const variable = envExpectations(ctx).corsVariable ?? 'CORS_ORIGINS';
  const cors = ctx.expectations.http?.cors;
  const raw = obs.publicValues[variable];
  if (raw === undefined || raw.trim() === '') return fail(`${variable} is not set in ${obs.path}`, { file: obs.path, variable });
  const origins = parseOriginList(raw);
  const allowed = new Set((cors?.allowedOrigins ?? []).map(normaliseOrigin));
  const httpsOnly = cors?.httpsOnly ?? true;
  const wildcard = origins.filter((o) => o.includes('*'));
  const insecure = httpsOnly ? origins.filter((o) => !o.toLowerCase().startsWith('https://')) : [];
  const outside = cors ? origins.filter((o) => !allowed.has(normaliseOrigin(o))) : [];
  const absent = [...allowed].filter((a) => !origins.some((o) => normaliseOrigin(o) === a));
  const evidence = { file: obs.path, variable, origins, allowList: cors?.allowedOrigins ?? null, httpsOnly, wildcard, notHttps: insecure, outsideAllowList: outside, allowedButAbsent: absent };
  if (wildcard.length || insecure.length || outside.length) {
    const parts = [wildcard.length ? `wildcard ${wildcard.join(', ')}` : '', insecure.length ? `not HTTPS: ${insecure.join(', ')}` : '', outside.length ? `outside the allow-list: ${outside.join(', ')}` : ''];
    return fail(`${variable} has ${parts.filter(Boolean).join('; ')}`, evidence);
  }
  if (!cors) return warn(`${variable} lists ${origins.length} HTTPS origin(s) but the profile has no http.cors allow-list to compare with`, evidence);
  if (absent.length) return warn(`${variable} is within the allow-list but misses ${absent.join(', ')}`, evidence);
  return pass(`${variable} lists exactly the ${origins.length} allowed HTTPS origins`, evidence);
}
