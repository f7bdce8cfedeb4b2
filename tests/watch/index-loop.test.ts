/**
 * The index state on its own slow loop (issue 13: "index state 5 min"), not only inside the
 * 15-minute passive check run: compressed here to 300 ms with the check run at 1 h, an expected
 * index dropped mid-watch fires the alert on pg.indexes_unusable and recreating it resolves it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../electron/core/profile/load';
import { WatchStore } from '../../electron/core/store/watch-store';
import { WatchSession, type WatchEvent } from '../../electron/core/watch/session';
import { DEFAULT_INTERVALS } from '../../electron/core/watch/targets';
import { freshDatabase, waitFor } from '../harness';

let admin: pg.Client;
let store: WatchStore;
let session: WatchSession;
const events: WatchEvent[] = [];
const dir = mkdtempSync(join(tmpdir(), 'pf-index-loop-'));

function profile(): string {
  return `version: 1
name: indexed
environments:
  - name: local
    kind: dev
    secrets:
      database_url: { env: INDEX_LOOP_DATABASE_URL }
    targets:
      postgres: { url: { secret: database_url } }
expectations:
  postgres:
    indexes:
      - { name: idx_orders_customer, table: orders, columns: [customer_id] }
      - { name: idx_orders_note, table: orders, columns: [note], optional: true }
alerts:
  - { id: index-unusable, title: An expected index is unusable, metric: pg.indexes_unusable, severity: high }
`;
}

beforeAll(async () => {
  const db = await freshDatabase('idxloop');
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  await admin.query('CREATE TABLE orders (id int PRIMARY KEY, customer_id int, note text); CREATE INDEX idx_orders_customer ON orders (customer_id)');
  const file = join(dir, 'indexed.yaml');
  writeFileSync(file, profile());
  store = new WatchStore(join(dir, 'watch.sqlite'));
  session = new WatchSession({
    loaded: loadProfile(file),
    environment: 'local',
    store,
    durationMs: 3_600_000,
    tickMs: 200,
    intervals: { postgres: 150, indexes: 300, checks: 3_600_000 },
    env: { ...process.env, INDEX_LOOP_DATABASE_URL: db.url },
    onEvent: (e) => events.push(e),
  });
  await session.start();
});
afterAll(async () => {
  await session?.stop();
  store?.close();
  await admin?.end();
});

const alertStates = () => events.filter((e): e is Extract<WatchEvent, { type: 'alert' }> => e.type === 'alert' && e.rule === 'index-unusable').map((e) => e.state);

describe('the index-state loop of a launch watch', () => {
  it('defaults to 5 minutes, apart from the 15-minute passive check run', () => {
    expect(DEFAULT_INTERVALS.indexes).toBe(5 * 60_000);
    expect(DEFAULT_INTERVALS.checks).toBe(15 * 60_000);
  });

  it('samples the index state on its own interval: an expected index dropped fires the alert, recreated resolves it', async () => {
    const start = events.find((e): e is Extract<WatchEvent, { type: 'start' }> => e.type === 'start')!;
    expect(start.targets.find((t) => t.name === 'indexes')).toMatchObject({ intervalMs: 300 });
    await waitFor(() => session.latestValues['pg.indexes_unusable'] === 0, { what: 'the index state to read 0 unusable' });
    expect(session.latestValues['pg.invalid_indexes']).toBe(0);

    await admin.query('DROP INDEX idx_orders_customer');
    await waitFor(() => alertStates().includes('firing'), { what: 'the alert to fire', timeoutMs: 20_000 });
    expect(session.latestValues['pg.indexes_unusable']).toBe(1);

    await admin.query('CREATE INDEX idx_orders_customer ON orders (customer_id)');
    await waitFor(() => alertStates().includes('resolved'), { what: 'the alert to resolve', timeoutMs: 20_000 });
    expect(alertStates().indexOf('firing')).toBeLessThan(alertStates().indexOf('resolved'));

    // Many index samples while the (1 h) passive check run ran once, at the start: its own loop.
    await waitFor(() => events.filter((e) => e.type === 'sample').length > 2, { what: 'a few ticks' });
    const checkRuns = events.filter((e) => e.type === 'check-run').length;
    expect(checkRuns).toBeLessThanOrEqual(1);
    // Stored as its own series, committed tick by tick.
    const indexPoints = await waitFor(() => {
      const points = [...store.points(session.session.id, 'pg.indexes_unusable', 0, Date.now() + 1000)];
      return points.length >= 3 && points.some((p) => p.v === 0) ? points : null;
    }, { what: 'index samples in the store' });
    expect(indexPoints.map((p) => p.v)).toContain(1);
  });

  it('counts INVALID indexes (what a failed CREATE INDEX CONCURRENTLY leaves)', async () => {
    await admin.query('INSERT INTO orders VALUES (1, 1, NULL), (2, 1, NULL)');
    await admin.query('CREATE UNIQUE INDEX CONCURRENTLY idx_orders_dup ON orders (customer_id)').catch(() => undefined);
    await waitFor(() => session.latestValues['pg.invalid_indexes'] === 1, { what: 'the invalid index to be counted', timeoutMs: 20_000 });
    // An invalid index nobody expects is not an expected index made unusable.
    expect(session.latestValues['pg.indexes_unusable']).toBe(0);
  });
});

describe('the index-state loop without expected indexes', () => {
  it('publishes pg.invalid_indexes only: no pg.indexes_unusable series claims a list it does not have', async () => {
    const db = await freshDatabase('idxnone');
    const file = join(dir, 'bare.yaml');
    writeFileSync(file, profile().replace(/ {4}indexes:\n( {6}- .*\n)+/, '    poolUtilization: { warn: 0.5, fail: 0.8 }\n').replace(/alerts:\n.*\n/, ''));
    const bare = new WatchSession({ loaded: loadProfile(file), environment: 'local', store, durationMs: 3_600_000, tickMs: 200, intervals: { postgres: 150, indexes: 200, checks: 3_600_000 }, env: { ...process.env, INDEX_LOOP_DATABASE_URL: db.url } });
    await bare.start();
    try {
      await waitFor(() => bare.latestValues['pg.invalid_indexes'] === 0, { what: 'an index sample' });
      expect(bare.latestValues).not.toHaveProperty('pg.indexes_unusable');
    } finally {
      await bare.stop();
    }
  });
});
