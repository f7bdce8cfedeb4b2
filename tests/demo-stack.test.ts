/**
 * The sample stack itself: the limiter counts right, the forgeable-XFF twin can be dodged, and
 * SSE streams hold DB sessions only in their twin. Probes are tested in tests/http-*.test.ts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../demo';
import { freshDatabase, sharedRedis, waitFor } from './harness';

let db: { url: string };
const apis: SampleApi[] = [];
async function api(options: Partial<Parameters<typeof startSampleApi>[0]> = {}): Promise<SampleApi> {
  const a = await startSampleApi({ pgUrl: db.url, redisUrl: sharedRedis().url, ...options });
  apis.push(a);
  return a;
}

beforeAll(async () => {
  db = await freshDatabase('demo');
});
afterAll(async () => {
  await Promise.all(apis.map((a) => a.close()));
});

async function burst(url: string, n: number, headers: (i: number) => Record<string, string> = () => ({})) {
  return Promise.all(Array.from({ length: n }, (_, i) => fetch(url, { headers: headers(i) }).then(async (r) => ({ status: r.status, retryAfter: r.headers.get('retry-after'), remaining: r.headers.get('ratelimit-remaining') }))));
}

async function streamSessions(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'demo-sse' AND pid <> pg_backend_pid()");
    return r.rows[0].n as number;
  } finally {
    await c.end();
  }
}

describe('sample stack', () => {
  it('refuses exactly the 101st list request within the minute, with Retry-After', async () => {
    const a = await api();
    const replies = await burst(`${a.url}/api/insights?limit=1`, 101);
    const refused = replies.filter((r) => r.status === 429);
    expect(replies.filter((r) => r.status === 200)).toHaveLength(100);
    expect(refused).toHaveLength(1);
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused[0]!.retryAfter)).toBeLessThanOrEqual(60);
  });

  it('the forwarded-for twin lets a caller dodge the limit by rotating X-Forwarded-For', async () => {
    const good = await api({ limits: { list: { name: 'l', limit: 5, windowMs: 60_000 } } });
    const twin = await api({ twins: { rateLimitTrustsForwardedFor: true }, limits: { list: { name: 'l', limit: 5, windowMs: 60_000 } } });
    const forged = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}` });
    expect((await burst(`${good.url}/api/insights`, 10, forged)).filter((r) => r.status === 429)).toHaveLength(5);
    expect((await burst(`${twin.url}/api/insights`, 10, forged)).filter((r) => r.status === 429)).toHaveLength(0);
  });

  it('good SSE streams hold no DB session between polls; the twin holds one per stream', async () => {
    // 12 streams from one client: lift the 5/minute stream limit for this test.
    const limits = { stream: { name: 's', limit: 100, windowMs: 60_000 } };
    const good = await api({ applicationName: 'demo-sse', ssePollMs: 2000, limits });
    const open = async (base: string) => {
      const ctrl = new AbortController();
      const res = await fetch(`${base}/api/insights/1/trend-stream`, { signal: ctrl.signal });
      expect(res.status).toBe(200);
      const reader = res.body!.getReader();
      // Wait for the first trend event so the first poll has happened.
      let text = '';
      while (!text.includes('event: trend')) {
        const chunk = await reader.read();
        if (chunk.done) throw new Error(`stream ended before its first event: ${text}`);
        text += new TextDecoder().decode(chunk.value);
      }
      return ctrl;
    };
    const streams = Array.from({ length: 12 }, (_, i) => i);
    const goodStreams = await Promise.all(streams.map(() => open(good.url)));
    // Between polls only the API's own pool (max 10 sessions, same application_name) remains.
    expect(await waitFor(async () => (await streamSessions(db.url)) <= 10 || null, { what: 'poll sessions to close' })).toBe(true);
    goodStreams.forEach((c) => c.abort());
    const twin = await api({ applicationName: 'demo-sse', ssePollMs: 2000, limits, twins: { sseHoldsDbConnection: true } });
    const twinStreams = await Promise.all(streams.map(() => open(twin.url)));
    const held = await streamSessions(db.url);
    expect(held).toBeGreaterThanOrEqual(12);
    twinStreams.forEach((c) => c.abort());
    // Disconnecting ends the streams and releases their 12 sessions.
    await waitFor(async () => (await streamSessions(db.url)) <= held - 12, { what: 'held sessions to close after disconnect' });
  });
});
