/** The pure HTTP checks over recorded observations (no server): what a FastAPI target leaks. */
import { describe, expect, it } from 'vitest';
import { checkErrorHygiene, checkReadyConsistent, findLeaks } from '../electron/core/checks/http';
import { HttpExpectations, type HttpExchange, type HttpObservation } from '../shared/schemas/http';

const exchange = (name: string, status: number | null, body: string, extra: Partial<HttpExchange> = {}): HttpExchange => ({
  name, method: 'GET', path: `/${name}`, at: '2026-01-01T00:00:00.000Z', requestHeaders: {}, status, latencyMs: status === null ? null : 3, headers: { 'content-type': 'application/json' }, body, bodyTruncated: false, error: status === null ? 'connection refused' : null, ...extra,
});
const observation = (exchanges: HttpExchange[], direct: HttpObservation['direct'] = { database: null, redis: null }): HttpObservation => ({ baseUrl: 'http://api', startedAt: '', durationMs: 0, sentRequestId: 'x', exchanges, direct, tls: null });

const FASTAPI_DEBUG_500 = JSON.stringify({
  detail: 'Traceback (most recent call last):\n  File "/app/.venv/lib/python3.12/site-packages/starlette/middleware/errors.py", line 164, in __call__\nsqlalchemy.exc.ProgrammingError: (psycopg.errors.UndefinedTable) relation "insights_v2" does not exist\n[SQL: SELECT insights_v2.id FROM insights_v2 WHERE insights_v2.id = %(id)s]',
});

describe('findLeaks', () => {
  it('names each kind of leak in a FastAPI debug 500', () => {
    const kinds = findLeaks(FASTAPI_DEBUG_500).map((f) => f.kind);
    expect(kinds.sort()).toEqual(['SQL', 'file path', 'framework internals', 'stack trace']);
  });

  it('finds a source path wherever the code is deployed, not only under well-known roots', () => {
    for (const body of ['{"error":"boom","where":"/check/work/main/demo/api/database.ts"}', '{"detail":"failed in /deploy/releases/42/app/routes/insights.py"}']) {
      expect(findLeaks(body).map((f) => f.kind)).toEqual(['file path']);
    }
    expect(findLeaks('{"detail":"No route for /api/insights/12345/trend-stream"}')).toEqual([]);
  });

  it('finds nothing in generic bodies', () => {
    for (const body of ['{"detail":"Internal server error"}', '{"detail":"Not Found"}', '{"detail":[{"loc":["path","id"],"msg":"value is not a valid integer"}]}']) expect(findLeaks(body)).toEqual([]);
  });
});

describe('checkErrorHygiene', () => {
  const x = HttpExpectations.parse({});
  it('fails on the leaking 500 and quotes it', () => {
    const r = checkErrorHygiene(observation([exchange('errors.404', 404, '{"detail":"Not Found"}'), exchange('errors.422', 422, '{"detail":"bad"}'), exchange('errors.500', 500, FASTAPI_DEBUG_500)]), x);
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/^GET \/errors\.500 \(500\) body shows stack trace: .*Traceback \(most recent call last\)/);
  });
  it('a 500 probe that got no answer is inconclusive, never a pass on the two bodies that came back', () => {
    const r = checkErrorHygiene(observation([exchange('errors.404', 404, '{"detail":"Not Found"}'), exchange('errors.422', 422, '{"detail":"bad"}'), exchange('errors.500', null, '')]), x);
    expect(r.status).toBe('error');
    expect(r.summary).toBe('Inconclusive: 404, 422 bodies are generic, but GET /errors.500 got no answer: connection refused, so that body could not be checked.');
  });
  it('warns when a path answers another status than expected, without leaks', () => {
    const r = checkErrorHygiene(observation([exchange('errors.404', 200, '{}'), exchange('errors.422', 422, '{"detail":"bad"}'), exchange('errors.500', 500, '{"detail":"Internal server error"}')]), x);
    expect(r.status).toBe('warn');
    expect(r.summary).toContain('GET /errors.404 answered 200, expected 404');
  });
});

describe('checkReadyConsistent', () => {
  const ready = (status: number, redis: string) => exchange('ready', status, JSON.stringify({ status: status === 200 ? 'ready' : 'not_ready', checks: { database: 'healthy', redis } }));
  const up = { ok: true, latencyMs: 1, error: null };
  const down = { ok: false, latencyMs: 1, error: 'connect ECONNREFUSED' };
  it('is skipped without direct probes, errors when ready is down', () => {
    expect(checkReadyConsistent(observation([ready(200, 'healthy')])).status).toBe('skipped');
    expect(checkReadyConsistent(observation([exchange('ready', null, '')], { database: up, redis: up })).status).toBe('error');
  });
  it('flags both directions and passes agreement', () => {
    expect(checkReadyConsistent(observation([ready(200, 'healthy')], { database: up, redis: down })).status).toBe('fail');
    expect(checkReadyConsistent(observation([ready(503, 'unhealthy: ConnectionError')], { database: up, redis: up })).status).toBe('fail');
    expect(checkReadyConsistent(observation([ready(503, 'unhealthy: ConnectionError')], { database: up, redis: down })).status).toBe('pass');
  });
});
