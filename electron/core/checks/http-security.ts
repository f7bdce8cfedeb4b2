/**
 * Security-facing HTTP checks: CORS allow-list, webhook signing, error hygiene, security
 * headers and TLS expiry. Pure functions over one observation.
 */
import type { HttpExchange, HttpExpectations, HttpObservation } from '../../../shared/schemas/http';
import { down, exchangeEvidence, get, line, result, type HttpVerdict, type Meta } from './http-common';
import { excerptAround, findLeaks } from './http-leaks';
import { maskUrl } from '../util/redact';

const answered = (e: HttpExchange | undefined): e is HttpExchange => e !== undefined && e.status !== null;

export function checkCors(o: HttpObservation, x: HttpExpectations): HttpVerdict {
  const meta: Meta = { id: 'cors.allowlist' };
  const exchanges: HttpExchange[] = [];
  const problems: string[] = [];
  const origins: Record<string, unknown>[] = [];
  const inspect = (origin: string, allowed: boolean) => {
    for (const kind of ['preflight', 'simple'] as const) {
      const e = get(o, `cors.${kind} ${origin}`);
      if (!e) continue;
      exchanges.push(e);
      if (e.status === null) {
        problems.push(`${kind} from ${origin}: ${down(e)}`);
        continue;
      }
      const acao = e.headers['access-control-allow-origin'] ?? null;
      const acac = e.headers['access-control-allow-credentials'] ?? null;
      origins.push({ origin, kind, request: line(e), status: e.status, allowOrigin: acao, allowCredentials: acac });
      if (acao === '*' && acac === 'true') problems.push(`${kind} from ${origin} got Access-Control-Allow-Origin: * together with credentials`);
      if (allowed) {
        if (acao !== origin) problems.push(`allowed origin ${origin} was not echoed on the ${kind} request (got ${acao ?? 'no Access-Control-Allow-Origin'})`);
        else if (x.credentials && acac !== 'true') problems.push(`allowed origin ${origin} got no Access-Control-Allow-Credentials: true on the ${kind} request`);
        if (kind === 'preflight' && (e.status < 200 || e.status >= 300)) problems.push(`preflight from allowed origin ${origin} got status ${e.status}`);
      } else if (acao === origin) {
        problems.push(`foreign origin ${origin} was reflected in Access-Control-Allow-Origin on the ${kind} request${acac === 'true' ? ' with credentials' : ''}`);
      } else if (acao === '*' && kind === 'preflight') {
        problems.push(`foreign origin ${origin} got Access-Control-Allow-Origin: *`);
      }
    }
  };
  x.allowedOrigins.forEach((origin) => inspect(origin, true));
  inspect(x.foreignOrigin, false);
  const httpsOnly = x.httpsOnly ?? x.production;
  const plainHttp = httpsOnly ? x.allowedOrigins.filter((origin) => !origin.startsWith('https://')) : [];
  if (plainHttp.length) problems.push(`${x.httpsOnly === undefined ? 'production' : 'https-only'} allow-list has non-HTTPS origins: ${plainHttp.join(', ')}`);
  const evidence = { allowedOrigins: x.allowedOrigins, foreignOrigin: x.foreignOrigin, production: x.production, httpsOnly, responses: origins, problems };
  if (exchanges.length === 0) return result(meta, { status: 'error', summary: 'No CORS request was made.', evidence }, []);
  if (exchanges.every((e) => e.status === null)) return result(meta, { status: 'error', summary: `CORS could not be checked: ${down(exchanges[0]!)}.`, evidence }, exchanges);
  if (problems.length) return result(meta, { status: 'fail', summary: `${problems[0]}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}.`, evidence }, exchanges);
  if (x.allowedOrigins.length === 0) return result(meta, { status: 'warn', summary: `The foreign origin ${x.foreignOrigin} was refused, but no allowed origins were given to confirm they work (--allowed-origin).`, evidence }, exchanges);
  return result(meta, { status: 'pass', summary: `${x.allowedOrigins.length} allowed origin(s) echoed${x.credentials ? ' with credentials' : ''}; ${x.foreignOrigin} refused.`, evidence }, exchanges);
}

export function checkWebhookSignature(o: HttpObservation, x: HttpExpectations): HttpVerdict {
  const { signatureHeader, rejectStatus } = x.webhook;
  const meta: Meta = { id: 'webhook.signature' };
  if (!x.paths.webhook) return result(meta, { status: 'skipped', summary: 'No webhook path configured.', evidence: {} }, []);
  const tries = [
    { label: 'no signature', e: get(o, 'webhook.unsigned') },
    { label: 'forged signature', e: get(o, 'webhook.forged') },
  ];
  const rows = tries.map(({ label, e }) => ({ attempt: label, ...exchangeEvidence(e) }));
  const evidence = { path: x.paths.webhook, signatureHeader, expectedStatus: rejectStatus ?? '4xx', attempts: rows, note: 'The probe body is a non-payment event (type preflight.signature_probe).' };
  const all = tries.map((t) => t.e).filter((e): e is HttpExchange => e !== undefined);
  if (tries.some((t) => !answered(t.e))) return result(meta, { status: 'error', summary: `Webhook could not be probed: ${all.filter((e) => e.status === null).map(down).join('; ') || 'not probed'}.`, evidence }, all);
  const problems: string[] = [];
  let notFound = false;
  const wanted = rejectStatus === null ? 'a 4xx' : String(rejectStatus);
  for (const { label, e } of tries as { label: string; e: HttpExchange }[]) {
    const s = e.status!;
    const what = `a webhook with ${label === 'forged signature' ? `a forged ${signatureHeader}` : `no ${signatureHeader}`}`;
    if (s >= 200 && s < 300) problems.push(`${what} was accepted with ${s}`);
    else if (s >= 500) problems.push(`${what} crashed the handler (${s}) instead of ${wanted}`);
    else if ((s === 404 || s === 405) && s !== rejectStatus) notFound = true;
    else if (s < 400) problems.push(`${what} got ${s}, expected ${wanted}`);
    // Another 4xx than the one the handler is known to send (e.g. 401 from an auth layer in
    // front of it) means the signature verification itself was never reached.
    else if (rejectStatus !== null && s !== rejectStatus) problems.push(`${what} got ${s}, expected ${rejectStatus} (another layer may have refused it before the signature was checked)`);
  }
  if (problems.length) return result(meta, { status: 'fail', summary: `${problems.join('; ')}.`, evidence }, all);
  if (notFound) return result(meta, { status: 'warn', summary: `${x.paths.webhook} answered ${all.map((e) => e.status).join('/')}: no webhook handler at that path? Check the path.`, evidence }, all);
  return result(meta, { status: 'pass', summary: `Webhooks without and with a forged ${signatureHeader} were refused (${all.map((e) => e.status).join(', ')}${rejectStatus === null ? '' : ', as expected'}).`, evidence }, all);
}

export function checkErrorHygiene(o: HttpObservation, x: HttpExpectations): HttpVerdict {
  const meta: Meta = { id: 'errors.no-leak' };
  const wanted = [
    { name: 'errors.404', expect: 404 },
    { name: 'errors.422', expect: 422 },
    ...(x.paths.testError ? [{ name: 'errors.500', expect: 500 }] : []),
  ];
  const tries = wanted.map((w) => ({ ...w, e: get(o, w.name) }));
  const patterns = x.forbiddenPatterns.map((source) => ({ source, re: new RegExp(source, 'i') }));
  // The profile's own patterns, beside the built-in detectors: each match is a finding.
  const forbidden = (body: string) =>
    patterns.flatMap(({ source, re }) => {
      const m = re.exec(body);
      return m ? [{ kind: `forbidden pattern /${source}/`, excerpt: excerptAround(body, m.index, m[0].length) }] : [];
    });
  const all = tries.map((t) => t.e).filter(answered);
  if (all.length === 0) return result(meta, { status: 'error', summary: `No error response could be provoked: ${tries.map((t) => (t.e ? down(t.e) : `${t.name} not probed`)).join('; ')}.`, evidence: {} }, []);
  const leaks: string[] = [];
  const surprises: string[] = [];
  const responses = tries.map(({ expect, e }) => {
    if (!answered(e)) return { expectedStatus: expect, ...exchangeEvidence(e) };
    const findings = [...findLeaks(e.body), ...forbidden(e.body)];
    for (const f of findings) leaks.push(`${line(e)} (${e.status}) body shows ${f.kind}: ${f.excerpt}`);
    if (e.status !== expect) surprises.push(`${line(e)} answered ${e.status}, expected ${expect}`);
    return { expectedStatus: expect, findings, ...exchangeEvidence(e) };
  });
  const evidence = { responses, leaks, surprises };
  if (leaks.length) return result(meta, { status: 'fail', summary: `${leaks[0]}${leaks.length > 1 ? ` (and ${leaks.length - 1} more)` : ''}`, evidence }, all);
  // An error probe that got no answer is not evidence of a clean body: the one left out may be the one that leaks.
  const unanswered = tries.filter((t) => !answered(t.e));
  if (unanswered.length) {
    return result(meta, { status: 'error', summary: `Inconclusive: ${all.map((e) => e.status).join(', ')} bodies are generic, but ${unanswered.map((t) => (t.e ? down(t.e) : `${t.name} not probed`)).join('; ')}, so that body could not be checked.`, evidence }, all);
  }
  if (surprises.length) return result(meta, { status: 'warn', summary: `No internals leaked, but ${surprises.join('; ')}.`, evidence }, all);
  return result(meta, { status: 'pass', summary: `${all.map((e) => e.status).join(', ')} bodies are generic: no stack trace, SQL, file path or framework internals${patterns.length ? `, none of the ${patterns.length} forbidden pattern(s)` : ''}.`, evidence }, all);
}

export function checkSecurityHeaders(o: HttpObservation, x: HttpExpectations): HttpVerdict {
  const meta: Meta = { id: 'security.headers' };
  const e = get(o, 'security-headers');
  if (!answered(e)) return result(meta, { status: 'error', summary: e ? down(e) : 'Not probed.', evidence: exchangeEvidence(e) }, [e]);
  const h = e.headers;
  const https = o.baseUrl.startsWith('https:') || x.production;
  const missing: string[] = [];
  const weak: string[] = [];
  if ((h['x-content-type-options'] ?? '').toLowerCase() !== 'nosniff') missing.push('X-Content-Type-Options: nosniff');
  if (!/deny|sameorigin/i.test(h['x-frame-options'] ?? '') && !/frame-ancestors/i.test(h['content-security-policy'] ?? '')) missing.push('X-Frame-Options or CSP frame-ancestors');
  if (!/max-age=\d+/i.test(h['strict-transport-security'] ?? '')) (https ? missing : weak).push('Strict-Transport-Security');
  if (!h['referrer-policy']) weak.push('Referrer-Policy');
  if (!h['content-security-policy']) weak.push('Content-Security-Policy');
  if (h['x-powered-by']) weak.push(`X-Powered-By: ${h['x-powered-by']} reveals the framework`);
  const present = Object.fromEntries(['x-content-type-options', 'x-frame-options', 'strict-transport-security', 'referrer-policy', 'content-security-policy', 'x-powered-by', 'server'].map((k) => [k, h[k] ?? null]));
  const evidence = { request: line(e), status: e.status, headers: present, missing, weak };
  if (missing.length) return result(meta, { status: 'fail', summary: `${line(e)} lacks ${missing.join(', ')}${weak.length ? `; also ${weak.join(', ')}` : ''}.`, evidence }, [e]);
  if (weak.length) return result(meta, { status: 'warn', summary: `${line(e)}: ${weak.join(', ')}.`, evidence }, [e]);
  return result(meta, { status: 'pass', summary: `${line(e)} carries nosniff, frame protection, HSTS, Referrer-Policy and CSP.`, evidence }, [e]);
}

const TLS_FAIL_DAYS = 7;
const TLS_WARN_DAYS = 30;

export function checkTls(o: HttpObservation, x: HttpExpectations): HttpVerdict {
  const meta: Meta = { id: 'tls.expiry' };
  const t = o.tls;
  const none = { durationMs: 0 };
  if (!t) {
    const baseUrl = maskUrl(o.baseUrl);
    if (x.production) return { ...meta, ...none, status: 'fail', summary: `A production API served over plain http (${baseUrl}).`, evidence: { baseUrl } };
    return { ...meta, ...none, status: 'skipped', summary: 'Plain http target: no certificate to check.', evidence: { baseUrl } };
  }
  const evidence = { ...t, warnBelowDays: TLS_WARN_DAYS, failBelowDays: TLS_FAIL_DAYS };
  if (t.error || t.daysToExpiry === null) return { ...meta, ...none, status: 'error', summary: `Could not read the certificate of ${t.host}: ${t.error ?? 'no expiry date'}.`, evidence };
  const days = `${t.daysToExpiry.toFixed(1)} days`;
  if (t.daysToExpiry < TLS_FAIL_DAYS) return { ...meta, ...none, status: 'fail', summary: `The certificate of ${t.host} expires in ${days} (${t.validTo}).`, evidence };
  if (!t.authorized) return { ...meta, ...none, status: 'fail', summary: `The certificate of ${t.host} is not trusted: ${t.authorizationError}.`, evidence };
  if (t.daysToExpiry < TLS_WARN_DAYS) return { ...meta, ...none, status: 'warn', summary: `The certificate of ${t.host} expires in ${days} (${t.validTo}); renew within ${TLS_WARN_DAYS} days.`, evidence };
  return { ...meta, ...none, status: 'pass', summary: `The certificate of ${t.host} is trusted and valid for ${days} more.`, evidence };
}
