/** The README's start command: `npx preflight demo` brings up the stack, watches it, serves the UI, and cleans up. */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from './harness';
import { startServe, type ServeProcess } from './harness/serve';

let demo: ServeProcess | null = null;
afterAll(async () => {
  await demo?.stop();
});

async function call<T>(name: string, input: unknown = {}): Promise<T> {
  const res = await fetch(`${demo!.origin}/api/call/${name}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-preflight-token': demo!.token }, body: JSON.stringify(input) });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (!res.ok || body.error) throw new Error(`${name}: ${res.status} ${body.error?.message}`);
  return body.result as T;
}

describe('preflight demo', () => {
  it('serves the UI already watching the demo Postgres, Redis and API, and deletes the stack on Ctrl+C', async () => {
    demo = await startServe(['demo']);
    const page = await fetch(demo.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    const pgTargets = await call<{ targetId: string }[]>('pg.targets');
    const redisTargets = await call<{ targetId: string }[]>('redis.targets');
    const httpTargets = await call<{ targetId: string }[]>('http.targets');
    expect([pgTargets.length, redisTargets.length, httpTargets.length]).toEqual([1, 1, 1]);
    // The simulated app keeps sessions open, so the first samples already show connections.
    const history = await waitFor(
      async () => {
        const h = await call<{ status: string; sample: { total: number } | null }[]>('pg.history', { targetId: pgTargets[0]!.targetId });
        return h.some((t) => t.status === 'up' && (t.sample?.total ?? 0) > 0) ? h : null;
      },
      { what: 'an up sample with app sessions', timeoutMs: 20_000 },
    );
    expect(history.length).toBeGreaterThan(0);

    const pgUrl = /PostgreSQL\s+(postgres:\/\/\S+)/.exec(demo.stderr())![1]!;
    const before = new pg.Client({ connectionString: pgUrl });
    await before.connect();
    const { rows } = await before.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_indexes WHERE indexname LIKE 'idx_%'");
    expect(rows[0]!.n).toBeGreaterThan(0);
    await before.end();

    await demo.stop();
    demo = null;
    const after = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
    after.on('error', () => undefined);
    await expect(after.connect()).rejects.toThrow();
  });
});
