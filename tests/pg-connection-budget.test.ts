/**
 * A Postgres target is its identity, not its URL string, and one process holds at most two
 * connections to a database (issue 10 §1). Backends are counted from a separate superuser
 * session, never from what Preflight says about itself.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../electron/core/api/engine';
import { ProbeClient, pgTargetIdentity } from '../electron/core/probes/postgres';
import type { CallOutput } from '../shared/contract';
import { dispatchCall, unwrap } from '../shared/dispatch';
import { freshDatabase, sharedPostgres, waitFor } from './harness';

let observer: pg.Client;
let db: { name: string; url: string };
beforeAll(async () => {
  db = await freshDatabase('budget');
  observer = new pg.Client({ connectionString: sharedPostgres().url, application_name: 'budget-observer' });
  await observer.connect();
});
afterAll(async () => {
  await observer?.end();
});

/** Client backends on the test database, whatever they call themselves. */
async function backendsOn(database: string): Promise<number> {
  const r = await observer.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [database]);
  return Number(r.rows[0]!.n);
}

/** Polls the backend count while `work` runs; returns the highest count seen and work's result. */
async function peakWhile<T>(database: string, work: Promise<T>): Promise<{ peak: number; result: T }> {
  let peak = 0;
  let done = false;
  const watching = (async () => {
    while (!done) {
      peak = Math.max(peak, await backendsOn(database));
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  try {
    const result = await work;
    peak = Math.max(peak, await backendsOn(database));
    return { peak, result };
  } finally {
    done = true;
    await watching;
  }
}

/** Twenty ways to write the same database: query parameters, their order, host case and names, scheme, explicit port. */
function spellings(url: string): string[] {
  const u = new URL(url);
  const port = u.port;
  const path = u.pathname;
  const out = [
    url,
    url.replace(/^postgres:/, 'postgresql:'),
    `postgres://postgres@localhost:${port}${path}`,
    `postgres://postgres@LOCALHOST:${port}${path}`,
    `postgres://postgres@LocalHost:${port}${path}?x=1`,
    `postgres://postgres@127.0.0.1:${port}${path}?x=2`,
    `postgres://postgres@localhost${path}?port=${port}`,
    `postgres://postgres@localhost${path}?port=${port}&x=3`,
    `postgres://postgres@localhost${path}?x=3&port=${port}`,
    `postgres://postgres@localhost${path}?host=127.0.0.1&port=${port}`,
    `postgres://postgres:@127.0.0.1:${port}${path}`,
    `${url}?application_name=someone-else`,
    `${url}?application_name=a&x=4`,
    `${url}?x=4&application_name=a`,
    `${url}?statement_timeout=999999`,
    `${url}?options=-c%20default_transaction_read_only%3Doff`,
  ];
  for (let n = out.length; n < 20; n++) out.push(`${url}?x=${n}`);
  return out;
}

describe('a target is its identity', () => {
  it('twenty spellings resolve to one identity; another user or database does not', () => {
    const keys = new Set(spellings(db.url).map((s) => pgTargetIdentity(s).key));
    expect(keys.size).toBe(1);
    expect(pgTargetIdentity(db.url.replace('postgres@', 'someone@')).key).not.toBe([...keys][0]);
    expect(pgTargetIdentity(db.url.replace(`/${db.name}`, '/postgres')).key).not.toBe([...keys][0]);
  });
});

describe('the per-database connection budget', () => {
  let engine: Engine;
  beforeAll(() => {
    engine = createEngine({ transport: 'http', version: 'test' });
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('20 pg.watch requests with 20 spellings of one database open at most 2 backends (one watcher)', async () => {
    const urls = spellings(db.url);
    expect(urls).toHaveLength(20);
    const watch = Promise.all(urls.map(async (url) => unwrap(await dispatchCall(engine.handlers, 'pg.watch', { url, intervalMs: 1000 })) as CallOutput<'pg.watch'>));
    const { peak: peakAtWatch, result: targets } = await peakWhile(db.name, watch);
    // Let every watcher tick a few times (and the session list run) while counting.
    const ticking = (async () => {
      for (let i = 0; i < 10; i++) {
        await Promise.all(targets.map((t) => dispatchCall(engine.handlers, 'pg.sessions', { targetId: t.targetId })));
        await new Promise((r) => setTimeout(r, 50));
      }
      return waitFor(async () => (await backendsOn(db.name)) >= 1, { what: 'the sampler to connect' });
    })();
    const { peak } = await peakWhile(db.name, ticking);
    expect(Math.max(peakAtWatch, peak)).toBeGreaterThanOrEqual(1);
    expect(Math.max(peakAtWatch, peak)).toBeLessThanOrEqual(2);
    expect(new Set(targets.map((t) => t.targetId)).size).toBe(1);
  });

  it('the same database with another password is refused with a clear message, and opens nothing', async () => {
    const before = await backendsOn(db.name);
    const other = db.url.replace('postgres@', 'postgres:not-the-same@');
    const envelope = await dispatchCall(engine.handlers, 'pg.watch', { url: other, intervalMs: 1000 });
    expect('error' in envelope && envelope.error.code).toBe('connection_budget');
    expect('error' in envelope && envelope.error.message).toMatch(/holds at most 2 connections to a database/);
    expect(JSON.stringify(envelope)).not.toContain('not-the-same');
    expect(await backendsOn(db.name)).toBeLessThanOrEqual(Math.max(before, 2));
  });

  it('probe handles beyond the sampler and reader share them: twelve concurrent handles, two backends', async () => {
    const other = await freshDatabase('budget_probes');
    const handles = Array.from({ length: 12 }, (_, i) => new ProbeClient(`${other.url}?x=${i}`, { role: i % 2 ? 'reader' : 'sampler' }));
    try {
      const { peak, result } = await peakWhile(
        other.name,
        Promise.all(handles.map(async (h) => (await h.query<{ pid: number }>('SELECT pg_backend_pid() AS pid, pg_sleep(0.05)')).rows[0]!.pid)),
      );
      expect(new Set(result).size).toBe(2);
      expect(peak).toBeLessThanOrEqual(2);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    await waitFor(async () => (await backendsOn(other.name)) === 0, { what: 'the last handle to close its connections' });
  });
});
