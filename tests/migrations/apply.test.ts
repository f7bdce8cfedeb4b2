import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, buildPlan, ChecksumMismatchError, LintBlockedError, loadMigrations, MigrationLockedError, readMigrationStatus, verifyMigrations } from '../../electron/core/migrations';
import { ProbeClient } from '../../electron/core/probes/postgres';
import { createStartInsightSchema } from '../../demo/startinsight-schema';
import type { MigrationEvent } from '../../shared/schemas/migrations';
import { PROJECT_ROOT } from '../harness/cli';
import { closeAll, freshDatabase, waitFor } from '../harness';

const FAST_RETRY = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 400 };
const clients: pg.Client[] = [];
afterEach(async () => {
  await closeAll(clients.splice(0));
});

async function connect(url: string, app = 'test'): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: app });
  c.on('error', () => undefined);
  await c.connect();
  clients.push(c);
  return c;
}

function migrationsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  for (const [name, sql] of Object.entries(files)) writeFileSync(join(dir, name), sql);
  return dir;
}

async function brokenIndexes(c: pg.Client): Promise<string[]> {
  const r = await c.query<{ name: string }>(`SELECT c.relname AS name FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE NOT x.indisvalid OR NOT x.indisready`);
  return r.rows.map((x) => x.name);
}

const NO_TX = '-- preflight:no-transaction\n-- preflight:lock-timeout 5s\n';

describe('migrate apply on a StartInsight-like schema', () => {
  it('creates every applicable index valid, skips idx_insights_source, and a concurrent writer loses nothing', async () => {
    const { url } = await freshDatabase('mig200k');
    await createStartInsightSchema(url, { interactions: 200_000, alembicRevision: 'b009_previous' });
    const writer = await connect(url, 'app-writer');
    const before = Number((await writer.query('SELECT count(*) AS n FROM insight_interactions')).rows[0].n);
    expect(before).toBe(200_000);
    let inserted = 0;
    const errors: string[] = [];
    let stop = false;
    const writing = (async () => {
      while (!stop) {
        try {
          await writer.query(`INSERT INTO insight_interactions (user_id, insight_id, interaction_type) VALUES (1 + floor(random() * 5000)::int, 1 + floor(random() * 2000)::int, 'view')`);
          inserted++;
        } catch (err) {
          errors.push((err as Error).message);
        }
      }
    })();
    const events: MigrationEvent[] = [];
    await waitFor(() => inserted > 50, { what: 'the writer to start' });
    const atStart = inserted;
    const result = await applyMigrations(url, loadMigrations(join(PROJECT_ROOT, 'migrations')), { onEvent: (e) => events.push(e) });
    const insertedDuringApply = inserted - atStart;
    stop = true;
    await writing;

    expect(result.outcome).toBe('succeeded');
    expect(errors).toEqual([]);
    expect(insertedDuringApply).toBeGreaterThan(0);
    const after = Number((await writer.query('SELECT count(*) AS n FROM insight_interactions')).rows[0].n);
    expect(after).toBe(before + inserted);

    const file = result.files[0]!;
    expect(file.skipped.map((s) => s.reason)).toEqual(['an equivalent unique index already exists as users_email_key', 'column insights.source does not exist']);
    expect(file.ran).toBe(11);
    const idx = await writer.query<{ name: string; valid: boolean }>(`SELECT c.relname AS name, x.indisvalid AS valid FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE c.relname LIKE 'idx_%' ORDER BY 1`);
    expect(idx.rows.map((r) => r.name)).toEqual([
      'idx_custom_analyses_status', 'idx_custom_analyses_user_id', 'idx_insights_created_at', 'idx_interactions_insight_id', 'idx_interactions_type', 'idx_interactions_user_id',
      'idx_research_requests_status', 'idx_research_requests_user_status', 'idx_saved_insights_user_status', 'idx_users_deleted_at', 'idx_users_subscription_tier',
    ]);
    expect(idx.rows.every((r) => r.valid)).toBe(true);
    expect(events.filter((e) => e.kind === 'statement-done')).toHaveLength(11);
    expect(events.filter((e) => e.kind === 'statement-skipped')).toHaveLength(2);

    const history = await writer.query('SELECT version, name, sha256, applied_by, duration_ms, outcome FROM preflight.schema_migrations');
    expect(history.rows).toHaveLength(1);
    expect(history.rows[0]).toMatchObject({ version: '0001', name: 'production_indexes', outcome: 'succeeded' });
    expect(history.rows[0].sha256).toBe(loadMigrations(join(PROJECT_ROOT, 'migrations'))[0]!.sha256);

    const probe = new ProbeClient(url);
    try {
      expect((await verifyMigrations(probe, loadMigrations(join(PROJECT_ROOT, 'migrations')))).ok).toBe(true);
    } finally {
      await probe.close();
    }
    // A second run has nothing to do.
    expect((await applyMigrations(url, loadMigrations(join(PROJECT_ROOT, 'migrations')))).outcome).toBe('nothing_to_do');
  }, 180_000);
});

describe('migrate apply: failures and guards', () => {
  it('drops the INVALID index a failed unique concurrent build leaves, and stops with the reason', async () => {
    const { url } = await freshDatabase('miginv');
    const c = await connect(url);
    await c.query(`CREATE TABLE accounts (id serial PRIMARY KEY, email text); INSERT INTO accounts (email) VALUES ('a@x'), ('a@x'), ('b@x')`);
    // An earlier failed build left one behind already; IF NOT EXISTS must not keep it.
    await expect(c.query('CREATE UNIQUE INDEX CONCURRENTLY idx_accounts_email ON accounts (email)')).rejects.toThrow(/could not create unique index/);
    expect(await brokenIndexes(c)).toEqual(['idx_accounts_email']);
    const dir = migrationsDir({ '0001_unique_email.sql': `${NO_TX}CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_email ON accounts (email);` });
    const events: MigrationEvent[] = [];
    const result = await applyMigrations(url, loadMigrations(dir), { retry: FAST_RETRY, onEvent: (e) => events.push(e) });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/could not create unique index.*SQLSTATE 23505.*dropped/s);
    // Dropped twice: the stale one before the attempt, the new one after it failed.
    expect(result.files[0]!.cleanedInvalidIndexes).toEqual(['idx_accounts_email', 'idx_accounts_email']);
    expect(events.filter((e) => e.kind === 'cleanup')).toHaveLength(2);
    expect(await brokenIndexes(c)).toEqual([]);
    const h = await c.query('SELECT outcome FROM preflight.schema_migrations');
    expect(h.rows.map((r) => r.outcome)).toEqual(['failed']);
    // Fix the data; the same file now applies.
    await c.query(`DELETE FROM accounts WHERE id = (SELECT max(id) FROM accounts WHERE email = 'a@x')`);
    const again = await applyMigrations(url, loadMigrations(dir), { retry: FAST_RETRY });
    expect(again.outcome).toBe('succeeded');
    const valid = await c.query(`SELECT x.indisvalid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE i.relname = 'idx_accounts_email'`);
    expect(valid.rows).toEqual([{ indisvalid: true }]);
  });

  it('a transaction held open makes the build wait: lock timeouts are retried, reported, and leave no invalid index', async () => {
    const { url } = await freshDatabase('migwait');
    const c = await connect(url);
    await c.query('CREATE TABLE orders (id serial PRIMARY KEY, status text); INSERT INTO orders (status) SELECT (ARRAY[$$a$$,$$b$$])[1 + g % 2] FROM generate_series(1, 1000) g');
    const holder = await connect(url, 'long-tx');
    await holder.query('BEGIN');
    await holder.query(`UPDATE orders SET status = 'c' WHERE id = 1`);
    const dir = migrationsDir({ '0001_orders_status.sql': `${NO_TX}CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_orders_status ON orders (status);` });

    // Plan names the transaction the build would wait for.
    const probe = new ProbeClient(url);
    const plan = await buildPlan(probe, loadMigrations(dir)).finally(() => probe.close());
    expect(plan.openTransactions.map((t) => t.application)).toContain('long-tx');

    // Held for the whole run: every attempt times out, the run stops, nothing invalid remains.
    const failed = await applyMigrations(url, loadMigrations(dir), { lockTimeoutMs: 200, retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 } });
    expect(failed.outcome).toBe('failed');
    expect(failed.error).toMatch(/lock timeout \(200 ms\) on every one of 2 attempts/);
    expect(failed.files[0]!.retries).toBe(1);
    expect(await brokenIndexes(c)).toEqual([]);

    // Released after the first retry: the build goes through.
    const events: MigrationEvent[] = [];
    const running = applyMigrations(url, loadMigrations(dir), {
      lockTimeoutMs: 200,
      retry: { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 300 },
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'retry' && events.filter((x) => x.kind === 'retry').length === 2) void holder.query('COMMIT');
      },
    });
    const ok = await running;
    expect(ok.outcome).toBe('succeeded');
    expect(ok.files[0]!.retries).toBeGreaterThanOrEqual(2);
    expect(events.filter((e) => e.kind === 'retry')[0]!.message).toMatch(/lock timeout/);
    expect(await brokenIndexes(c)).toEqual([]);
    const valid = await c.query(`SELECT x.indisvalid FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid WHERE i.relname = 'idx_orders_status'`);
    expect(valid.rows).toEqual([{ indisvalid: true }]);
  });

  it('an old snapshot makes the build time out after creating its index: each attempt\'s INVALID index is dropped', async () => {
    const { url } = await freshDatabase('migsnap');
    const c = await connect(url);
    await c.query('CREATE TABLE items (id int, v text); CREATE TABLE other (id int); INSERT INTO items SELECT g, g::text FROM generate_series(1, 1000) g');
    const holder = await connect(url, 'old-snapshot');
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await holder.query('SELECT count(*) FROM other');
    const dir = migrationsDir({ '0001_items_v.sql': `${NO_TX}CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_items_v ON items (v);` });
    const events: MigrationEvent[] = [];
    const result = await applyMigrations(url, loadMigrations(dir), { lockTimeoutMs: 200, retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 100 }, onEvent: (e) => events.push(e) });
    expect(result.outcome).toBe('failed');
    expect(result.files[0]!.retries).toBe(2);
    expect(result.files[0]!.cleanedInvalidIndexes).toEqual(['idx_items_v', 'idx_items_v', 'idx_items_v']);
    expect(events.filter((e) => e.kind === 'retry')).toHaveLength(2);
    expect(await brokenIndexes(c)).toEqual([]);
    await holder.query('ROLLBACK');
    expect((await applyMigrations(url, loadMigrations(dir))).outcome).toBe('succeeded');
  });

  it('a statement timeout is not retried: the build stops at once with the reason and its INVALID index dropped', async () => {
    const { url } = await freshDatabase('migstmt');
    const c = await connect(url);
    // Each row costs the index build 20 ms, so 100 rows need about 2 s, far over the 300 ms limit.
    await c.query(`CREATE FUNCTION slow_key(t text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$ BEGIN PERFORM pg_sleep(0.02); RETURN t; END $$`);
    await c.query('CREATE TABLE events (id int, v text); INSERT INTO events SELECT g, g::text FROM generate_series(1, 100) g');
    const dir = migrationsDir({ '0001_events_slow.sql': `${NO_TX}CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_events_slow ON events (slow_key(v));` });
    const events: MigrationEvent[] = [];
    const result = await applyMigrations(url, loadMigrations(dir), { statementTimeoutMs: 300, retry: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 100 }, onEvent: (e) => events.push(e) });
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/statement timeout: the statement ran longer than 300 ms \(statement_timeout\).*Not retried/s);
    expect(result.error).toMatch(/idx_events_slow left by the failed build was dropped/);
    expect(result.files[0]!.retries).toBe(0);
    expect(events.filter((e) => e.kind === 'retry')).toHaveLength(0);
    expect(result.files[0]!.cleanedInvalidIndexes).toEqual(['idx_events_slow']);
    expect(await brokenIndexes(c)).toEqual([]);
  });

  it('plan skips an index on a missing column but not one on a table the same file creates first', async () => {
    const { url } = await freshDatabase('migplan');
    const dir = migrationsDir({
      '0001_new.sql': `${NO_TX}-- preflight:skip-if-missing\nCREATE TABLE IF NOT EXISTS fresh (id int, "Label" text);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_fresh_label ON fresh ("Label");\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_fresh_gone ON fresh (gone);`,
    });
    const probe = new ProbeClient(url);
    const plan = await buildPlan(probe, loadMigrations(dir)).finally(() => probe.close());
    expect(plan.files[0]!.statements.map((s) => [s.action, s.reason])).toEqual([
      ['run', null],
      ['run', null],
      ['skip', 'column fresh.gone does not exist'],
    ]);
    const result = await applyMigrations(url, loadMigrations(dir));
    expect(result.files[0]!.skipped.map((s) => s.reason)).toEqual(['column fresh.gone does not exist']);

    // A same-named index with another definition would be kept by IF NOT EXISTS: plan says so.
    const dir2 = migrationsDir({ '0002_label.sql': `${NO_TX}CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_fresh_label ON fresh (id);` });
    const probe2 = new ProbeClient(url);
    const plan2 = await buildPlan(probe2, [...loadMigrations(dir), ...loadMigrations(dir2)]).finally(() => probe2.close());
    expect(plan2.files[0]!.statements[0]!.reason).toMatch(/^WARNING: an index named idx_fresh_label already exists with another definition \(Label\)/);
  });

  it('an applied file that was edited stops apply and plan with a checksum error', async () => {
    const { url } = await freshDatabase('migsum');
    const dir = migrationsDir({ '0001_t.sql': 'CREATE TABLE t (id int);' });
    expect((await applyMigrations(url, loadMigrations(dir))).outcome).toBe('succeeded');
    writeFileSync(join(dir, '0001_t.sql'), 'CREATE TABLE t (id bigint);');
    writeFileSync(join(dir, '0002_u.sql'), 'CREATE TABLE u (id int);');
    await expect(applyMigrations(url, loadMigrations(dir))).rejects.toThrow(ChecksumMismatchError);
    await expect(applyMigrations(url, loadMigrations(dir))).rejects.toThrow(/0001_t\.sql \(applied sha256 [0-9a-f]{12}…, file now [0-9a-f]{12}…\)/);
    const probe = new ProbeClient(url);
    await expect(buildPlan(probe, loadMigrations(dir)).finally(() => probe.close())).rejects.toThrow(ChecksumMismatchError);
    const c = await connect(url);
    expect((await c.query(`SELECT to_regclass('u') AS u`)).rows[0].u).toBeNull();
  });

  it('a file added below the newest applied version is reported out of order, then applied after it', async () => {
    const { url } = await freshDatabase('migorder');
    const dir = migrationsDir({ '0001_a.sql': 'CREATE TABLE a (id int);', '0003_c.sql': 'CREATE TABLE c (id int);' });
    expect((await applyMigrations(url, loadMigrations(dir))).outcome).toBe('succeeded');
    writeFileSync(join(dir, '0002_b.sql'), 'CREATE TABLE b (id int);');
    writeFileSync(join(dir, '0004_d.sql'), 'CREATE TABLE d (id int);');
    const probe = new ProbeClient(url);
    const before = await readMigrationStatus(probe, loadMigrations(dir)).finally(() => probe.close());
    expect(before.outOfOrder).toEqual(['0002_b.sql']);
    expect(before.pending).toBe(2);
    expect((await applyMigrations(url, loadMigrations(dir))).outcome).toBe('succeeded');
    const probe2 = new ProbeClient(url);
    const after = await readMigrationStatus(probe2, loadMigrations(dir)).finally(() => probe2.close());
    expect(after.outOfOrder).toEqual([]);
    expect(after.migrations.map((m) => m.state)).toEqual(['applied', 'applied', 'applied', 'applied']);
  });

  it('two applies at once: one takes the lock, the other stops naming the holder or waits and finds nothing to do', async () => {
    const { url } = await freshDatabase('miglock');
    const dir = migrationsDir({ '0001_slow.sql': 'SELECT pg_sleep(1.5);\nCREATE TABLE once (id int);' });
    const [a, b] = await Promise.allSettled([applyMigrations(url, loadMigrations(dir)), applyMigrations(url, loadMigrations(dir))]);
    const fulfilled = [a, b].filter((r) => r.status === 'fulfilled');
    const rejected = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(1);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]!.reason).toBeInstanceOf(MigrationLockedError);
    expect(String(rejected[0]!.reason.message)).toMatch(/holds the lock .*pid \d+, application "preflight-migrate"/);

    const dir2 = migrationsDir({ '0001_slow.sql': 'SELECT pg_sleep(1.5);\nCREATE TABLE once (id int);', '0002_more.sql': 'SELECT pg_sleep(1);\nCREATE TABLE twice (id int);' });
    const [x, y] = await Promise.all([applyMigrations(url, loadMigrations(dir2), { waitLockMs: 20_000 }), applyMigrations(url, loadMigrations(dir2), { waitLockMs: 20_000 })]);
    expect([x.outcome, y.outcome].sort()).toEqual(['nothing_to_do', 'succeeded']);
    const c = await connect(url);
    const h = await c.query(`SELECT version, count(*)::int AS n FROM preflight.schema_migrations WHERE outcome = 'succeeded' GROUP BY 1 ORDER BY 1`);
    expect(h.rows).toEqual([{ version: '0001', n: 1 }, { version: '0002', n: 1 }]);
  });

  it('lint findings block apply unless acknowledged', async () => {
    const { url } = await freshDatabase('miglint');
    const c = await connect(url);
    await c.query('CREATE TABLE big (id int); INSERT INTO big SELECT generate_series(1, 10)');
    const dir = migrationsDir({ '0001_idx.sql': '-- preflight:lock-timeout 2s\nCREATE INDEX idx_big ON big (id);' });
    const blocked = applyMigrations(url, loadMigrations(dir));
    await expect(blocked).rejects.toThrow(LintBlockedError);
    await expect(applyMigrations(url, loadMigrations(dir))).rejects.toThrow(/require-concurrent-index-creation/);
    expect((await c.query(`SELECT to_regclass('idx_big') AS i`)).rows[0].i).toBeNull();
    const acked = await applyMigrations(url, loadMigrations(dir), { ackLint: ['require-concurrent-index-creation'] });
    expect(acked.outcome).toBe('succeeded');
  });

  it('cancel stops the running build and drops the index it left', async () => {
    const { url } = await freshDatabase('migcancel');
    const c = await connect(url);
    await c.query('CREATE TABLE slowtab (id int, v text); CREATE TABLE other (id int); INSERT INTO slowtab SELECT g, md5(g::text) FROM generate_series(1, 1000) g');
    // An old snapshot on another table: the build creates its index, then waits for it (phase 3).
    const holder = await connect(url, 'old-snapshot');
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await holder.query('SELECT count(*) FROM other');
    const dir = migrationsDir({ '0001_idx.sql': `${NO_TX}CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_slow ON slowtab (v);` });
    const controller = new AbortController();
    const running = applyMigrations(url, loadMigrations(dir), { signal: controller.signal, lockTimeoutMs: 60_000 });
    await waitFor(async () => (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'preflight-migrate' AND wait_event_type = 'Lock'`)).rowCount, { what: 'the build to wait' });
    expect(await brokenIndexes(c)).toEqual(['idx_slow']);
    controller.abort();
    const result = await running;
    expect(result.outcome).toBe('cancelled');
    expect(result.files[0]!.cleanedInvalidIndexes).toEqual(['idx_slow']);
    expect(await brokenIndexes(c)).toEqual([]);
    await holder.query('ROLLBACK');
  });
});
