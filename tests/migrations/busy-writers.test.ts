/**
 * A table written continuously by many connections (StartInsight's insight_interactions): there
 * is never a moment when no session holds a write lock on it, yet CREATE INDEX CONCURRENTLY only
 * needs the transactions open when it starts to end. The runner must not starve waiting for
 * an empty moment.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations, loadMigrations } from '../../electron/core/migrations';
import { createStartInsightSchema } from '../../demo/startinsight-schema';
import type { MigrationEvent } from '../../shared/schemas/migrations';
import { closeAll, freshDatabase, openSessions, waitFor } from '../harness';

const WRITERS = 8;
const clients: pg.Client[] = [];
let stopWriters: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stopWriters?.();
  stopWriters = null;
  await closeAll(clients.splice(0));
});

const INSERT = `INSERT INTO insight_interactions (user_id, insight_id, interaction_type) VALUES (1 + floor(random() * 5000)::int, 1 + floor(random() * 2000)::int, 'view')`;

/**
 * Each connection runs short transactions back to back (insert, a few ms of work, insert,
 * commit); with several connections they overlap, so some session always holds
 * RowExclusiveLock on the table. Rows are counted only once their transaction committed.
 */
function startWriters(sessions: pg.Client[]) {
  let committedRows = 0;
  let transactions = 0;
  const errors: string[] = [];
  let stop = false;
  const loops = sessions.map(async (c) => {
    while (!stop) {
      try {
        await c.query('BEGIN');
        await c.query(INSERT);
        await c.query('SELECT pg_sleep(0.01 + random() * 0.03)');
        await c.query(INSERT);
        await c.query('COMMIT');
        committedRows += 2;
        transactions++;
      } catch (err) {
        if (stop) break;
        errors.push((err as Error).message);
        await c.query('ROLLBACK').catch(() => undefined);
      }
    }
  });
  return {
    errors,
    committedRows: () => committedRows,
    transactions: () => transactions,
    async stop() {
      stop = true;
      await Promise.all(loops);
    },
  };
}

async function indexStates(c: pg.Client): Promise<{ name: string; valid: boolean; ready: boolean }[]> {
  const r = await c.query<{ name: string; valid: boolean; ready: boolean }>(
    `SELECT i.relname AS name, x.indisvalid AS valid, x.indisready AS ready FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = 'insight_interactions' AND NOT x.indisprimary ORDER BY 1`,
  );
  return r.rows;
}

describe('migrate apply while many connections write the table', () => {
  it('builds the CONCURRENTLY indexes valid without starving; the writers see no errors and lose no rows', async () => {
    const { url } = await freshDatabase('migbusy');
    await createStartInsightSchema(url, { interactions: 20_000 });
    const sessions = await openSessions(url, WRITERS, 'app-writer');
    const observer = (await openSessions(url, 1, 'test-observer'))[0]!;
    clients.push(...sessions, observer);
    const before = Number((await observer.query('SELECT count(*) AS n FROM insight_interactions')).rows[0].n);

    const writers = startWriters(sessions);
    stopWriters = writers.stop;
    // Every writer connection has committed at least once: the transactions overlap from here on.
    await waitFor(() => writers.transactions() >= WRITERS * 3, { what: 'the writers to start' });
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(
      join(dir, '0001_interactions.sql'),
      [
        '-- preflight:no-transaction',
        '-- preflight:lock-timeout 1s',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_interactions_insight_id ON insight_interactions (insight_id);',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_interactions_user_id ON insight_interactions (user_id);',
      ].join('\n'),
    );
    const events: MigrationEvent[] = [];
    const atStart = writers.transactions();
    // A short lock timeout and few attempts: far longer than any one writer transaction, far
    // shorter than the time a moment with no writer at all can take to come (never).
    const result = await applyMigrations(url, loadMigrations(dir), { lockTimeoutMs: 1000, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 200 }, onEvent: (e) => events.push(e) });
    const duringApply = writers.transactions() - atStart;
    await writers.stop();

    expect(result.error).toBeNull();
    expect(result.outcome).toBe('succeeded');
    expect(result.files[0]!.ran).toBe(2);
    expect(duringApply).toBeGreaterThan(0);
    expect(writers.errors).toEqual([]);
    const after = Number((await observer.query('SELECT count(*) AS n FROM insight_interactions')).rows[0].n);
    expect(after).toBe(before + writers.committedRows());
    expect(await indexStates(observer)).toEqual([
      { name: 'idx_interactions_insight_id', valid: true, ready: true },
      { name: 'idx_interactions_user_id', valid: true, ready: true },
    ]);
    const broken = await observer.query(`SELECT 1 FROM pg_index WHERE NOT indisvalid OR NOT indisready`);
    expect(broken.rowCount).toBe(0);
    // The runner says whom it waited for: the writers' transactions open when a build was about to start.
    const waits = events.filter((e) => e.kind === 'wait');
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]!.message).toMatch(/^waited \d+ ms for \d+ transactions? writing public\.insight_interactions to end before the build: pid \d+ \("app-writer", RowExclusiveLock/);
  }, 120_000);
  it('a long transaction among the busy writers still stops the build before it starts, named alone; once it ends the build goes through', async () => {
    const { url } = await freshDatabase('migbusylong');
    await createStartInsightSchema(url, { interactions: 5_000 });
    const sessions = await openSessions(url, WRITERS, 'app-writer');
    const observer = (await openSessions(url, 1, 'test-observer'))[0]!;
    const holder = (await openSessions(url, 1, 'long-tx'))[0]!;
    clients.push(...sessions, observer, holder);
    const before = Number((await observer.query('SELECT count(*) AS n FROM insight_interactions')).rows[0].n);
    await holder.query('BEGIN');
    await holder.query(INSERT);
    const writers = startWriters(sessions);
    stopWriters = writers.stop;
    await waitFor(() => writers.transactions() >= WRITERS * 3, { what: 'the writers to start' });
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '0001_interactions.sql'), '-- preflight:no-transaction\n-- preflight:lock-timeout 1s\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_interactions_type ON insight_interactions (interaction_type);');

    const failed = await applyMigrations(url, loadMigrations(dir), { lockTimeoutMs: 1000, retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100 } });
    expect(failed.outcome).toBe('failed');
    expect(failed.error).toMatch(/lock timeout \(1000 ms\) on every one of 2 attempts/);
    expect(failed.error).toMatch(/held by pid \d+ \("long-tx", RowExclusiveLock, transaction open \d+\.\d s\), open longer than the lock timeout; the build was not started/);
    // The short transactions ended within the wait; only the long one is blamed.
    expect(failed.error).not.toMatch(/app-writer/);
    expect(await indexStates(observer)).toEqual([]);

    await holder.query('COMMIT');
    const ok = await applyMigrations(url, loadMigrations(dir), { lockTimeoutMs: 1000, retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 200 } });
    await writers.stop();
    expect(ok.error).toBeNull();
    expect(writers.errors).toEqual([]);
    const after = Number((await observer.query('SELECT count(*) AS n FROM insight_interactions')).rows[0].n);
    expect(after).toBe(before + 1 + writers.committedRows());
    expect(await indexStates(observer)).toEqual([{ name: 'idx_interactions_type', valid: true, ready: true }]);
  }, 120_000);
});
