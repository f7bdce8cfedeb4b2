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
  it('refuses an apply whose typed environment does not match, then cancels a running build on request', async () => {
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
      expect(target).toMatchObject({ environment: name, dir });
      const wrong = await dispatchCall(engine.handlers, 'migrations.apply', { targetId: (target as { targetId: string }).targetId, confirmEnvironment: 'production' });
      expect(wrong).toMatchObject({ error: { code: 'not_confirmed' } });
      const audit = () => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(audit().at(-1)).toMatchObject({ action: 'migrate.apply', outcome: 'refused', environment: name });

      const { runId } = await call('migrations.apply', { targetId: (target as { targetId: string }).targetId, confirmEnvironment: name });
      await waitFor(() => events.some((e) => e.name === 'migrations.event' && (e.payload as EventPayload<'migrations.event'>).kind === 'statement-start'), { what: 'the build to start' });
      await waitFor(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE application_name = 'preflight-migrate' AND wait_event_type = 'Lock'`)).rowCount, { what: 'the build to wait' });
      expect(await call('migrations.cancel', { runId })).toEqual({ cancelled: true });
      const result = await waitFor(() => events.find((e) => e.name === 'migrations.result')?.payload as EventPayload<'migrations.result'> | undefined, { what: 'the result', timeoutMs: 20_000 });
      expect(result).toMatchObject({ runId, outcome: 'cancelled' });
      expect(result.files[0]!.cleanedInvalidIndexes).toEqual(['idx_t_v']);
      expect(events.some((e) => e.name === 'migrations.event' && (e.payload as EventPayload<'migrations.event'>).kind === 'cleanup')).toBe(true);
      expect(audit().at(-1)).toMatchObject({ action: 'migrate.apply', outcome: 'cancelled' });
      const left = await admin.query(`SELECT 1 FROM pg_class WHERE relname = 'idx_t_v'`);
      expect(left.rowCount).toBe(0);
    } finally {
      await holder.end();
      await admin.end();
    }
  });
});
