import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/core/api/engine';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import type { EventPayload } from '../../shared/contract';
import { freshDatabase, waitFor } from '../harness';

const dataDir = mkdtempSync(join(tmpdir(), 'pf-handlers-'));
const engine = createEngine({ transport: 'http', version: 'test' });
const events: { name: string; payload: unknown }[] = [];
engine.events.subscribe((name, payload) => events.push({ name, payload }));
const call = async (name: string, input: unknown) => unwrap(await dispatchCall(engine.handlers, name, input)) as never;

beforeAll(() => {
  process.env.PREFLIGHT_DATA_DIR = dataDir;
});
afterAll(async () => {
  await engine.close();
});

describe('migrations handlers (the contract the UI uses)', () => {
  it('refuses an apply whose typed confirmation does not match (the host, outside production), then cancels a running build on request', async () => {
    const { url, name } = await freshDatabase('mighandler');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query('CREATE TABLE t (id int, v text); CREATE TABLE other (id int); INSERT INTO t SELECT g, g::text FROM generate_series(1, 500) g');
    const holder = new pg.Client({ connectionString: url, application_name: 'old-snapshot' });
    await holder.connect();
    await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await holder.query('SELECT count(*) FROM other');
    const dir = mkdtempSync(join(tmpdir(), 'mig-h-'));
    writeFileSync(join(dir, '0001_t_v.sql'), '-- preflight:no-transaction\n-- preflight:lock-timeout 60s\nCREATE INDEX CONCURRENTLY IF NOT EXISTS idx_t_v ON t (v);');
    try {
      const target = await call('migrations.open', { url, dir });
      const host = new URL(url).host;
      // No production name: the database name is the environment, and the host is typed back (not the database name).
      expect(target).toMatchObject({ environment: name, dir, host, production: false, confirm: { what: 'host', value: host } });
      for (const typed of ['production', name]) {
        const wrong = await dispatchCall(engine.handlers, 'migrations.apply', { targetId: (target as { targetId: string }).targetId, confirm: typed });
        expect(wrong).toMatchObject({ error: { code: 'not_confirmed', message: expect.stringContaining(`Type the host "${host}" exactly`) } });
      }
      const audit = () => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(audit().at(-1)).toMatchObject({ action: 'migrate.apply', outcome: 'refused', environment: name });

      const { runId } = await call('migrations.apply', { targetId: (target as { targetId: string }).targetId, confirm: host });
      await waitFor(() => events.some((e) => e.name === 'migrations.event' && (e.payload as EventPayload<'migrations.event'>).kind === 'statement-start'), { what: 'the build to start' });
      // While the build runs, the log already says it started.
      expect(audit().at(-1)).toMatchObject({ action: 'migrate.apply', outcome: 'started', environment: name, details: { runId, files: ['0001'] } });
      await waitFor(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'preflight-migrate' AND wait_event_type = 'Lock'`)).rowCount, { what: 'the build to wait' });
      expect(await call('migrations.cancel', { runId })).toEqual({ cancelled: true });
      const result = await waitFor(() => events.find((e) => e.name === 'migrations.result')?.payload as EventPayload<'migrations.result'> | undefined, { what: 'the result', timeoutMs: 20_000 });
      expect(result).toMatchObject({ runId, outcome: 'cancelled' });
      expect(result.files[0]!.cleanedInvalidIndexes).toEqual(['idx_t_v']);
      expect(events.some((e) => e.name === 'migrations.event' && (e.payload as EventPayload<'migrations.event'>).kind === 'cleanup')).toBe(true);
      expect(audit().slice(-2)).toMatchObject([
        { action: 'migrate.apply', outcome: 'started', details: { runId } },
        { action: 'migrate.apply', outcome: 'cancelled', details: { runId } },
      ]);
      const left = await admin.query(`SELECT 1 FROM pg_class WHERE relname = 'idx_t_v'`);
      expect(left.rowCount).toBe(0);
    } finally {
      await holder.end();
      await admin.end();
    }
  });

  it('a failed apply is audited as started, then failed (never refused), whether the build fails or the run cannot start', async () => {
    const { url } = await freshDatabase('migfail');
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE TABLE accounts (id int, email text); INSERT INTO accounts VALUES (1, 'a@x'), (2, 'a@x')`);
    const dir = mkdtempSync(join(tmpdir(), 'mig-f-'));
    writeFileSync(join(dir, '0001_unique_email.sql'), '-- preflight:no-transaction\n-- preflight:lock-timeout 5s\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_email ON accounts (email);');
    const audit = () => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const results = () => events.filter((e) => e.name === 'migrations.result').map((e) => e.payload as EventPayload<'migrations.result'>);
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      const { targetId, environment, confirm } = (await call('migrations.open', { url, dir, environment: 'prod-eu' })) as { targetId: string; environment: string; confirm: { value: string } };
      expect(confirm).toEqual({ what: 'environment', value: 'prod-eu' });
      // The build fails on duplicate values.
      const first = (await call('migrations.apply', { targetId, confirm: confirm.value })) as { runId: string };
      const failed = await waitFor(() => results().find((r) => r.runId === first.runId), { what: 'the failed result' });
      expect(failed.outcome).toBe('failed');
      await waitFor(() => audit().at(-1).outcome !== 'started', { what: 'the outcome entry' });
      expect(audit().slice(-2)).toMatchObject([
        { outcome: 'started', environment, details: { runId: first.runId } },
        { outcome: 'failed', environment, details: { runId: first.runId, error: expect.stringMatching(/SQLSTATE 23505/) } },
      ]);
      // Another run holds the migration lock: this run cannot start, and that is a failure too.
      await locker.query('SELECT pg_advisory_lock($1, $2)', [0x70726566, 0x6d696772]);
      const second = (await call('migrations.apply', { targetId, confirm: confirm.value })) as { runId: string };
      await waitFor(() => results().find((r) => r.runId === second.runId), { what: 'the locked result' });
      await waitFor(() => audit().at(-1).outcome !== 'started', { what: 'the outcome entry' });
      expect(audit().slice(-2)).toMatchObject([
        { outcome: 'started', details: { runId: second.runId } },
        { outcome: 'failed', details: { runId: second.runId, stoppedBy: 'migration-lock-held' } },
      ]);
      expect(audit().filter((a) => a.outcome === 'refused' && a.environment === environment)).toEqual([]);
    } finally {
      await locker.end();
      await admin.end();
    }
  });
});
