/** env.cors-origins: the CORS origins variable is HTTPS-only and within the profile's allow-list. */
import { CorsExpectation, EnvVarName } from '../../profile/fields';
import { defineCheck, fail, pass, warn } from '../define';

/** CORS origins as pydantic settings accept them: a JSON list or a comma-separated string. */
function parseOriginList(raw: string): string[] {
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

export default defineCheck({
  id: 'env.cors-origins',
  title: 'CORS_ORIGINS is HTTPS-only and within the allow-list',
  category: 'security',
  severity: 'high',
  fix: 'The CORS origins variable lists only the production front-end origins, over HTTPS',
  needs: ['envFile'],
  expectations: {
    envFile: {
      /** The variable holding the comma-separated CORS origins, checked against http.cors. */
      corsVariable: EnvVarName.optional(),
    },
    http: { cors: CorsExpectation },
  },
  evaluate({ envFile: obs }, { envFile: exp, http: { cors } }) {
    const variable = exp.corsVariable ?? 'CORS_ORIGINS';
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
  },
});
