/**
 * Pure checks over one passive HTTP observation (DESIGN.md §1). Each returns a verdict keyed
 * by its check id (the title, severity and fix are the catalogue definition's: see
 * http-results.ts) whose evidence names the problem: the reflected origin, the leaked stack trace, the status
 * an unsigned webhook got.
 */
import { HttpExpectations, type HttpExchange, type HttpExpectationsInput, type HttpObservation } from '../../../shared/schemas/http';
import { STARTINSIGHT_BODIES, type HealthBodySchemas } from './http-bodies';
import { down, exchangeEvidence, get, line, parseJson, result, type HttpVerdict, type Meta } from './http-common';
import { findLeaks } from './http-leaks';
import { checkCors, checkErrorHygiene, checkSecurityHeaders, checkTls, checkWebhookSignature } from './http-security';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function checkHealthEndpoint(meta: Meta, e: HttpExchange | undefined, schema: HealthBodySchemas['health'], expectedStatus: number): HttpVerdict {
  if (!e) return result(meta, { status: 'skipped', summary: 'Not probed.', evidence: {} }, []);
  const evidence = exchangeEvidence(e);
  if (e.status === null) return result(meta, { status: 'fail', summary: `Down: ${down(e)}.`, evidence: { ...evidence, down: true } }, [e]);
  const problems: string[] = [];
  if (e.status !== expectedStatus) problems.push(`status ${e.status}, expected ${expectedStatus}`);
  if (!/^application\/json\b/i.test(e.headers['content-type'] ?? '')) problems.push(`Content-Type ${e.headers['content-type'] ?? '(none)'}, expected application/json`);
  const parsed = schema.safeParse(parseJson(e.body));
  if (!parsed.success) problems.push(`body does not match the expected schema: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'} ${i.message}`).join('; ')}`);
  const status = problems.length ? 'fail' : 'pass';
  const summary = problems.length ? `${line(e)}: ${problems.join('; ')} (${e.latencyMs} ms).` : `${line(e)} answered ${e.status} with the expected JSON body in ${e.latencyMs} ms.`;
  return result(meta, { status, summary, evidence: { ...evidence, problems } }, [e]);
}

const DEFAULT_X = HttpExpectations.parse({});

function checkHealthBasic(o: HttpObservation, schemas: HealthBodySchemas = STARTINSIGHT_BODIES, x: HttpExpectations = DEFAULT_X): HttpVerdict {
  return checkHealthEndpoint({ id: 'health.basic' }, get(o, 'health'), schemas.health, x.statuses.health);
}

function checkHealthLive(o: HttpObservation, schemas: HealthBodySchemas = STARTINSIGHT_BODIES, x: HttpExpectations = DEFAULT_X): HttpVerdict {
  return checkHealthEndpoint({ id: 'health.live' }, get(o, 'live'), schemas.live, x.statuses.live);
}

export function checkHealthReady(o: HttpObservation, schemas: HealthBodySchemas = STARTINSIGHT_BODIES, x: HttpExpectations = DEFAULT_X): HttpVerdict {
  const meta: Meta = { id: 'health.ready' };
  const e = get(o, 'ready');
  const base = checkHealthEndpoint(meta, e, schemas.ready, x.statuses.ready);
  if (!e || e.status === null) return base;
  const body = parseJson(e.body) as { status?: string; checks?: Record<string, string> } | undefined;
  const failing = Object.entries(body?.checks ?? {}).filter(([, v]) => v !== 'healthy');
  if (base.status === 'pass' && !failing.length) return base;
  // A not-ready answer in the documented shape: still a fail, but say which dependency and
  // whether the endpoint degraded with the status the profile expects (whenUnhealthy.status).
  if (failing.length && schemas.ready.safeParse(body).success) {
    const named = failing.map(([k, v]) => `${k} ${v}`).join(', ');
    const unhealthyStatus = x.statuses.readyUnhealthy;
    const evidence = { ...base.evidence, failing: Object.fromEntries(failing), expectedUnhealthyStatus: unhealthyStatus };
    if (e.status === unhealthyStatus) return { ...base, status: 'fail', summary: `Not ready (${e.status}): ${named}.`, evidence };
    return { ...base, status: 'fail', summary: `Not ready: ${named}; and ${line(e)} answered ${e.status} while not ready, expected ${unhealthyStatus}.`, evidence };
  }
  return base;
}

/** /health/ready against Preflight's own direct probes: a contradiction either way is a fail. */
export function checkReadyConsistent(o: HttpObservation, x: HttpExpectations = DEFAULT_X): HttpVerdict {
  const meta: Meta = { id: 'health.ready-consistent' };
  const e = get(o, 'ready');
  const sides = [
    { name: 'database', direct: o.direct.database },
    { name: 'redis', direct: o.direct.redis },
  ].filter((s) => s.direct !== null);
  if (sides.length === 0) return result(meta, { status: 'skipped', summary: 'No direct Postgres or Redis URL given, so there is nothing to cross-check.', evidence: {} }, [e]);
  if (!e || e.status === null) return result(meta, { status: 'error', summary: e ? `Cannot cross-check: ${down(e)}.` : 'Readiness was not probed.', evidence: exchangeEvidence(e) }, [e]);
  const body = parseJson(e.body) as { checks?: Record<string, unknown> } | undefined;
  const rows = sides.map(({ name, direct }) => {
    const claim = body?.checks?.[name];
    const claimsHealthy = claim === 'healthy' || (claim === undefined && e.status === x.statuses.ready);
    return { component: name, readyClaims: claim ?? (e.status === x.statuses.ready ? `(not listed; endpoint says ${e.status})` : '(not listed)'), readyStatus: e.status, directOk: direct!.ok, directError: direct!.error, contradicts: claimsHealthy !== direct!.ok };
  });
  const contradictions = rows.filter((r) => r.contradicts);
  if (contradictions.length === 0) {
    const states = rows.map((r) => `${r.component} ${r.directOk ? 'up' : 'down'}`).join(', ');
    return result(meta, { status: 'pass', summary: `/health/ready (${e.status}) agrees with Preflight's own probes: ${states}.`, evidence: { components: rows } }, [e]);
  }
  const said = contradictions.map((r) => (r.directOk ? `ready says ${r.component} "${r.readyClaims}" but Preflight's own ${r.component} probe succeeds` : `ready says ${r.component} "${r.readyClaims}" (HTTP ${e.status}) but Preflight's own ${r.component} probe fails: ${r.directError}`));
  return result(meta, { status: 'fail', summary: `Readiness contradicts the direct probes: ${said.join('; ')}.`, evidence: { components: rows, contradictions: said } }, [e]);
}

export function checkRequestIdGenerated(o: HttpObservation, x: HttpExpectations = DEFAULT_X): HttpVerdict {
  const { header, format } = x.requestId;
  const meta: Meta = { id: 'request-id.generated' };
  const calls = [get(o, 'request-id.fresh-1'), get(o, 'request-id.fresh-2')].filter((e): e is HttpExchange => e !== undefined && e.status !== null);
  if (calls.length < 2) return result(meta, { status: 'error', summary: 'Fewer than two calls were answered, so ids cannot be compared.', evidence: { header } }, calls);
  const ids = calls.map((e) => ({ request: line(e), id: e.headers[header.toLowerCase()] ?? null }));
  const problems: string[] = [];
  for (const r of ids) {
    if (!r.id) problems.push(`${r.request} had no ${header} header`);
    else if (format === 'uuid' && !UUID.test(r.id)) problems.push(`${r.request} ${header} "${r.id}" is not a UUID`);
  }
  if (ids[0]!.id && ids[0]!.id === ids[1]!.id) problems.push(`two calls got the same id ${ids[0]!.id}`);
  const status = problems.length ? 'fail' : 'pass';
  const what = format === 'uuid' ? 'UUIDs' : 'ids';
  return result(meta, { status, summary: problems.length ? `${problems.join('; ')}.` : `Two calls without an id got two different ${what} in ${header}.`, evidence: { header, format, ids, problems } }, calls);
}

export function checkRequestIdEchoed(o: HttpObservation, x: HttpExpectations = DEFAULT_X): HttpVerdict {
  const { header, echo } = x.requestId;
  const meta: Meta = { id: 'request-id.echoed' };
  if (!echo) return result(meta, { status: 'skipped', summary: `Not probed: the profile says the API does not echo a caller's ${header} (requestId.echo: false).`, evidence: { header, echo } }, []);
  const e = get(o, 'request-id.echo');
  if (!e || e.status === null) return result(meta, { status: 'error', summary: e ? down(e) : 'Not probed.', evidence: exchangeEvidence(e) }, [e]);
  const got = e.headers[header.toLowerCase()] ?? null;
  const ok = got === o.sentRequestId;
  const summary = ok ? `Sent ${header} ${o.sentRequestId} and got the same value back.` : got ? `Sent ${header} ${o.sentRequestId} but got ${got} back.` : `Sent ${header} ${o.sentRequestId} and the response had no ${header}.`;
  return result(meta, { status: ok ? 'pass' : 'fail', summary, evidence: { header, sent: o.sentRequestId, received: got } }, [e]);
}

export { checkCors, checkWebhookSignature, checkErrorHygiene, checkSecurityHeaders, checkTls };

/** The probe requests (by name) each check reads. */
const CHECK_REQUESTS: Record<string, RegExp> = {
  'health.basic': /^health$/,
  'health.live': /^live$/,
  'health.ready': /^ready$/,
  'health.ready-consistent': /^ready$/,
  'request-id.generated': /^request-id\.fresh-/,
  'request-id.echoed': /^request-id\.echo$/,
  'cors.allowlist': /^cors\./,
  'webhook.signature': /^webhook\./,
  'errors.no-leak': /^errors\./,
  'security.headers': /^security-headers$/,
};

/** A check none of whose requests a scheduled run was allowed to send says so, rather than "not probed". */
function notPolled(r: HttpVerdict, o: HttpObservation): HttpVerdict {
  const wanted = CHECK_REQUESTS[r.id];
  if (!wanted || !o.withheld?.length || o.exchanges.some((e) => wanted.test(e.name))) return r;
  const withheld = o.withheld.filter((w) => wanted.test(w.name));
  if (!withheld.length) return r;
  const paths = [...new Set(withheld.map((w) => `${w.method} ${w.path}`))];
  return {
    ...r,
    status: 'skipped',
    summary: `Not polled on a schedule: ${withheld[0]!.reason}. Judged by one-shot runs (\`preflight http\`, \`preflight check\`, the Overview).`,
    evidence: { notPolled: paths, reasons: [...new Set(withheld.map((w) => w.reason))] },
    durationMs: 0,
  };
}

/** Every passive HTTP check over one observation, in report order. */
export function evaluateHttp(o: HttpObservation, expectations: HttpExpectationsInput = {}, schemas: HealthBodySchemas = STARTINSIGHT_BODIES): HttpVerdict[] {
  const x = HttpExpectations.parse(expectations);
  return evaluateAll(o, x, schemas).map((r) => notPolled(r, o));
}

function evaluateAll(o: HttpObservation, x: HttpExpectations, schemas: HealthBodySchemas): HttpVerdict[] {
  return [
    checkHealthBasic(o, schemas, x),
    checkHealthLive(o, schemas, x),
    checkHealthReady(o, schemas, x),
    checkReadyConsistent(o, x),
    checkRequestIdGenerated(o, x),
    checkRequestIdEchoed(o, x),
    checkCors(o, x),
    checkWebhookSignature(o, x),
    checkErrorHygiene(o, x),
    checkSecurityHeaders(o, x),
    checkTls(o, x),
  ];
}

export { findLeaks };
