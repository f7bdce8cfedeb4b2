/**
 * Cancel / terminate a backend from the sessions table (issue 13): on a separate writer
 * connection, only after the typed confirmation (host for a non-production environment, the
 * environment's name for production), audited, never one of Preflight's own backends. Real
 * Postgres; the effect is read from pg_stat_activity by a superuser session of the test.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../electron/core/api/engine';
import { ownBackendPids, pgTargetIdentity } from '../electron/core/probes/postgres';
import { openWriter } from '../electron/core/probes/postgres/connections';
import { dispatchCall, unwrap } from '../shared/dispatch';
import type { BackendPlan, PgTarget } from '../shared/schemas/postgres';
import { closeAll, freshDatabase, openSessions, waitFor } from './harness';
import { runCli } from './harness/cli';

const dataDir = mkdtempSync(join(tmpdir(), 'pf-signal-'));
const engine = createEngine({ transport: 'http', version: 'test' });
const call = async <T>(name: string, input: unknown) => unwrap(await dispatchCall(engine.handlers, name, input)) as T;
const audit = () =>
  readFileSync(join(dataDir, 'audit.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { action: string; outcome: string; environment: string; target: string; details: Record<string, unknown> });

let db: { name: string; url: string };
let admin: pg.Client;
const pidOf = async (c: pg.Client) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
const activity = async (pid: number) => (await admin.query<{ state: string; application_name: string }>('SELECT state, application_name FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0] ?? null;

beforeAll(async () => {
  process.env.PREFLIGHT_DATA_DIR = dataDir;
  db = await freshDatabase('signal');
  admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
});
afterAll(async () => {
  await engine.close();
  await admin?.end();
});

describe('cancel and terminate a backend (pg.backendPlan, pg.signalBackend)', () => {
  it('cancels a long-running query only after the host is typed; the session stays, the query ends; audited', async () => {
    const [victim] = await openSessions(db.url, 1, 'report-worker');
    try {
      const pid = await pidOf(victim!);
      const running = victim!.query('SELECT pg_sleep(300)').then(
        () => 'finished',
        (err: { code?: string }) => err.code,
      );
      await waitFor(async () => (await activity(pid))?.state === 'active', { what: 'the sleep to run' });
      const target = await call<PgTarget>('pg.watch', { url: db.url, intervalMs: 60_000, environment: 'staging' });
      expect(target.environment).toBe('staging');

      const plan = await call<BackendPlan>('pg.backendPlan', { targetId: target.targetId, pid, action: 'cancel' });
      const host = new URL(db.url).host;
      expect(plan).toMatchObject({ pid, action: 'cancel', application: 'report-worker', database: db.name, state: 'active', environment: 'staging', production: false, confirm: { what: 'host', value: host } });
      expect(plan.description).toContain(`pid ${pid}`);
      expect(plan.description).toContain('"report-worker"');
      expect(plan.description).toContain('"staging"');

      // No confirmation, or the wrong one: refused, audited, the query still runs.
      for (const confirm of ['', 'staging', 'localhost:1']) {
        const refused = await dispatchCall(engine.handlers, 'pg.signalBackend', { targetId: target.targetId, pid, action: 'cancel', backendStart: plan.backendStart, confirm });
        expect(refused).toMatchObject({ error: { code: 'not_confirmed' } });
        expect('error' in refused && refused.error.message).toContain(`"${host}"`);
        expect(audit().at(-1)).toMatchObject({ action: 'pg.cancel-backend', outcome: 'refused', environment: 'staging', details: { pid } });
      }
      expect((await activity(pid))?.state).toBe('active');

      const result = await call<{ signalled: boolean; application: string }>('pg.signalBackend', { targetId: target.targetId, pid, action: 'cancel', backendStart: plan.backendStart, confirm: host });
      expect(result).toMatchObject({ signalled: true, application: 'report-worker' });
      expect(await running).toBe('57014'); // query_canceled
      // Cancelled, not terminated: the session is still there, now idle.
      await waitFor(async () => (await activity(pid))?.state === 'idle', { what: 'the victim to be idle' });
      expect(audit().slice(-2)).toMatchObject([
        { action: 'pg.cancel-backend', outcome: 'started', environment: 'staging', details: { pid, via: 'http' } },
        { action: 'pg.cancel-backend', outcome: 'succeeded', environment: 'staging', details: { pid, application: 'report-worker', signalled: true } },
      ]);
      // The signal ran on its own writer session, gone again afterwards; the password never reaches the log.
      expect(readFileSync(join(dataDir, 'audit.jsonl'), 'utf8')).not.toMatch(/postgres:\/\/[^@\s]*:[^*@\s][^@\s]*@/);
      await waitFor(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'preflight-admin'`)).rowCount === 0, { what: 'the writer to leave' });
      await call('pg.unwatch', { targetId: target.targetId });
    } finally {
      await closeAll([victim!]);
    }
  });

  it('terminates an idle-in-transaction session of a production environment only after its name is typed', async () => {
    const [victim] = await openSessions(db.url, 1, 'stuck-worker');
    try {
      const pid = await pidOf(victim!);
      await victim!.query('BEGIN; SELECT 1');
      const target = await call<PgTarget>('pg.watch', { url: db.url, intervalMs: 60_000, environment: 'production' });
      const plan = await call<BackendPlan>('pg.backendPlan', { targetId: target.targetId, pid, action: 'terminate' });
      expect(plan).toMatchObject({ application: 'stuck-worker', state: 'idle in transaction', environment: 'production', production: true, confirm: { what: 'environment', value: 'production' } });

      // For production the host is not enough.
      const refused = await dispatchCall(engine.handlers, 'pg.signalBackend', { targetId: target.targetId, pid, action: 'terminate', backendStart: plan.backendStart, confirm: new URL(db.url).host });
      expect(refused).toMatchObject({ error: { code: 'not_confirmed' } });
      expect(await activity(pid)).not.toBeNull();

      // Input that could not come from a plan is refused before anything runs.
      expect(await dispatchCall(engine.handlers, 'pg.signalBackend', { targetId: target.targetId, pid, action: 'terminate', backendStart: "now'; --", confirm: 'production' })).toMatchObject({ error: { code: 'bad_input' } });
      expect(await dispatchCall(engine.handlers, 'pg.backendPlan', { targetId: target.targetId, pid: 2 ** 40, action: 'terminate' })).toMatchObject({ error: { code: 'bad_input' } });
      // A start time other than the confirmed session's (the pid reused by a new session) signals nothing.
      const stale = await call<{ signalled: boolean; message: string }>('pg.signalBackend', { targetId: target.targetId, pid, action: 'terminate', backendStart: '2001-01-01T00:00:00.000000Z', confirm: 'production' });
      expect(stale.signalled).toBe(false);
      expect(stale.message).toMatch(/no longer the session you confirmed/);
      expect(await activity(pid)).not.toBeNull();

      const result = await call<{ signalled: boolean }>('pg.signalBackend', { targetId: target.targetId, pid, action: 'terminate', backendStart: plan.backendStart, confirm: ' production ' });
      expect(result.signalled).toBe(true);
      await waitFor(async () => (await activity(pid)) === null, { what: 'the session to be gone' });
      expect(audit().at(-1)).toMatchObject({ action: 'pg.terminate-backend', outcome: 'succeeded', environment: 'production', details: { pid, application: 'stuck-worker' } });
      // The plan of a session that has ended says so.
      expect(await dispatchCall(engine.handlers, 'pg.backendPlan', { targetId: target.targetId, pid, action: 'terminate' })).toMatchObject({ error: { code: 'not_found' } });
      await call('pg.unwatch', { targetId: target.targetId });
    } finally {
      await closeAll([victim!]);
    }
  });

  it("refuses Preflight's own sampler backend, even with the confirmation typed; the watch keeps sampling", async () => {
    const target = await call<PgTarget>('pg.watch', { url: db.url, intervalMs: 60_000, environment: 'staging' });
    const serverKey = pgTargetIdentity(db.url).serverKey;
    const [own] = await waitFor(() => (ownBackendPids(serverKey).length ? ownBackendPids(serverKey) : null), { what: 'the sampler to connect' });
    const row = await admin.query<{ start: string }>(`SELECT to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS start FROM pg_stat_activity WHERE pid = $1`, [own]);
    expect(await dispatchCall(engine.handlers, 'pg.backendPlan', { targetId: target.targetId, pid: own, action: 'terminate' })).toMatchObject({ error: { code: 'own_backend' } });
    const refused = await dispatchCall(engine.handlers, 'pg.signalBackend', { targetId: target.targetId, pid: own, action: 'terminate', backendStart: row.rows[0]!.start, confirm: new URL(db.url).host });
    expect(refused).toMatchObject({ error: { code: 'own_backend' } });
    expect(audit().at(-1)).toMatchObject({ action: 'pg.terminate-backend', outcome: 'refused', details: { pid: own, reason: 'own backend' } });
    expect(await activity(own!)).toMatchObject({ application_name: 'preflight' });
    expect(ownBackendPids(serverKey)).toContain(own);
    await call('pg.unwatch', { targetId: target.targetId });
  });

  it("while this process's writer is busy (a migration applying) nothing is signalled, and the writer's own pid is refused", async () => {
    const [victim] = await openSessions(db.url, 1, 'waiting-job');
    const lease = await openWriter(db.url, () => null);
    try {
      const pid = await pidOf(victim!);
      const target = await call<PgTarget>('pg.watch', { url: db.url, intervalMs: 60_000, environment: 'staging' });
      expect(await dispatchCall(engine.handlers, 'pg.backendPlan', { targetId: target.targetId, pid: lease.pid, action: 'terminate' })).toMatchObject({ error: { code: 'own_backend' } });
      const plan = await call<BackendPlan>('pg.backendPlan', { targetId: target.targetId, pid, action: 'terminate' });
      const busy = await dispatchCall(engine.handlers, 'pg.signalBackend', { targetId: target.targetId, pid, action: 'terminate', backendStart: plan.backendStart, confirm: plan.confirm.value });
      expect(busy).toMatchObject({ error: { code: 'connection_budget', message: expect.stringMatching(/writer connection .* is busy/) } });
      expect(await activity(pid)).not.toBeNull();
      expect(audit().at(-1)).toMatchObject({ action: 'pg.terminate-backend', outcome: 'failed' });
      await call('pg.unwatch', { targetId: target.targetId });
    } finally {
      await lease.release();
      await closeAll([victim!]);
    }
  });

  it('a user without the right to signal gets a sentence naming pg_signal_backend; nothing is signalled', async () => {
    const role = `limited_${Date.now().toString(36)}`;
    await admin.query(`CREATE ROLE ${role} LOGIN`);
    const [victim] = await openSessions(db.url, 1, 'superuser-job');
    try {
      const pid = await pidOf(victim!);
      const url = new URL(db.url);
      url.username = role;
      url.password = '';
      const target = await call<PgTarget>('pg.watch', { url: url.toString(), intervalMs: 60_000 });
      expect(target.environment).toBe(db.name);
      // Without pg_read_all_stats another role's session is hidden: said, not "no such session".
      const hidden = await dispatchCall(engine.handlers, 'pg.backendPlan', { targetId: target.targetId, pid, action: 'terminate' });
      expect(hidden).toMatchObject({ error: { code: 'permission_denied' } });
      expect('error' in hidden && hidden.error.message).toMatch(/pg_read_all_stats/);
      await admin.query(`GRANT pg_read_all_stats TO ${role}`);
      const plan = await call<BackendPlan>('pg.backendPlan', { targetId: target.targetId, pid, action: 'terminate' });
      expect(plan.application).toBe('superuser-job');
      const denied = await dispatchCall(engine.handlers, 'pg.signalBackend', { targetId: target.targetId, pid, action: 'terminate', backendStart: plan.backendStart, confirm: plan.confirm.value });
      expect(denied).toMatchObject({ error: { code: 'permission_denied' } });
      expect('error' in denied && denied.error.message).toMatch(/pg_signal_backend/);
      expect(await activity(pid)).not.toBeNull();
      expect(audit().at(-1)).toMatchObject({ action: 'pg.terminate-backend', outcome: 'failed' });
      await call('pg.unwatch', { targetId: target.targetId });
    } finally {
      await closeAll([victim!]);
    }
  });
});

describe('preflight pg cancel | terminate', () => {
  it('refuses without --confirm (exit 2), then terminates with the host typed (exit 0)', async () => {
    const [victim] = await openSessions(db.url, 1, 'cli-victim');
    try {
      const pid = await pidOf(victim!);
      const refused = await runCli(['pg', 'terminate', '--url', db.url, '--pid', String(pid)], { timeoutMs: 120_000, env: { PREFLIGHT_DATA_DIR: dataDir } });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/--confirm/);
      expect(refused.stderr).toContain('cli-victim');
      expect(await activity(pid)).not.toBeNull();
      const done = await runCli(['pg', 'terminate', '--url', db.url, '--pid', String(pid), '--env', 'qa', '--confirm', new URL(db.url).host], { timeoutMs: 120_000, env: { PREFLIGHT_DATA_DIR: dataDir } });
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      expect(done.stdout).toMatch(new RegExp(`terminate the session of pid ${pid}`));
      await waitFor(async () => (await activity(pid)) === null, { what: 'the session to be gone' });
      expect(audit().at(-1)).toMatchObject({ action: 'pg.terminate-backend', outcome: 'succeeded', environment: 'qa', details: { pid, via: 'cli' } });
    } finally {
      await closeAll([victim!]);
    }
  }, 240_000);
});
