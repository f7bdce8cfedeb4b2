import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../electron/core/api/engine';
import type { EphemeralPostgres } from '../demo/ephemeral/postgres';
import { PgWatcher } from '../electron/core/monitor/pg-watcher';
import { ProbeClient, UnsafeTargetError, assertNotTransactionPooler } from '../electron/core/probes/postgres';
import { runCli } from './harness/cli';
import { privatePostgres, waitFor } from './harness';

// Private: these tests count Preflight's own backends and freeze one of them.
let cluster: EphemeralPostgres;
let observer: pg.Client;
beforeAll(async () => {
  cluster = await privatePostgres({ maxConnections: 30 });
  observer = new pg.Client({ connectionString: cluster.url, application_name: 'observer' });
  await observer.connect();
});
afterAll(async () => {
  await observer?.end();
  await cluster?.destroy();
});

const preflightBackends = async () =>
  Number((await observer.query("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'preflight'")).rows[0].n);

describe('Postgres probe safety', () => {
  it('refuses a transaction-mode pooler URL, naming the fix and never the password', async () => {
    for (const url of ['postgres://app:Canary-pw-91@aws-0-eu.pooler.supabase.com:6543/postgres', 'postgres://app:Canary-pw-91@db.internal:6432/app']) {
      expect(() => new ProbeClient(url)).toThrow(UnsafeTargetError);
      expect(() => assertNotTransactionPooler(url)).toThrow(/direct database URL/);
      try {
        assertNotTransactionPooler(url);
      } catch (err) {
        expect((err as Error).message).not.toContain('Canary-pw-91');
      }
    }
    expect(() => assertNotTransactionPooler('postgres://app@db.abc.supabase.co:5432/postgres')).not.toThrow();
    expect(() => assertNotTransactionPooler('postgres://app@h:6543/db', { PREFLIGHT_ALLOW_POOLER: 'session' })).not.toThrow();
    const cli = await runCli(['pg', 'activity', '--url', 'postgres://app:Canary-pw-91@db.internal:6543/app', '--json']);
    expect(cli.code).toBe(2);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(cli.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(cli.stderr).toMatch(/pooler/);
    expect(cli.stderr + cli.stdout).not.toContain('Canary-pw-91');
  });

  it('closing while the connection is still being opened leaves no backend behind', async () => {
    const before = await preflightBackends();
    const probe = new ProbeClient(cluster.url);
    const connecting = probe.connect();
    await probe.close();
    await expect(connecting).rejects.toThrow(/closed/);
    await expect(probe.query('SELECT 1')).rejects.toThrow(/closed/);
    await waitFor(async () => (await preflightBackends()) === before, { what: 'no preflight backend left' });
  });

  it('a backend that stops answering is reported down by the client-side timeout, and the next tick recovers', async () => {
    const watcher = new PgWatcher({ targetId: 'frozen', url: cluster.url, intervalMs: 60_000, budget: null, onTick: () => undefined });
    try {
      expect((await watcher.tick()).status).toBe('up');
      const pid = Number((await observer.query("SELECT pid FROM pg_stat_activity WHERE application_name = 'preflight'")).rows[0].pid);
      // Freeze the probe's own backend: the server can no longer enforce statement_timeout.
      execFileSync('kill', ['-STOP', String(pid)]);
      let down;
      try {
        down = await watcher.tick();
      } finally {
        execFileSync('kill', ['-CONT', String(pid)]);
      }
      expect(down.status).toBe('down');
      expect(down.error).toMatch(/timeout|unreachable|terminated/i);
      expect((await watcher.tick()).status).toBe('up');
    } finally {
      await watcher.stop();
    }
  });

  it('a tick that finds the session listing running is skipped, not queued behind it', async () => {
    const watcher = new PgWatcher({ targetId: 'busy', url: cluster.url, intervalMs: 60_000, budget: null, onTick: () => undefined });
    try {
      await watcher.tick();
      const listing = watcher.sessions();
      const again = watcher.sessions();
      expect(again).toBe(listing);
      expect((await watcher.tick()).status).toBe('skipped');
      expect((await listing).length).toBeGreaterThan(0);
      expect((await watcher.tick()).status).toBe('up');
    } finally {
      await watcher.stop();
    }
  });

  it('watching the same database twice reuses the one sampling connection', async () => {
    const engine = createEngine({ transport: 'http', version: 'test' });
    try {
      const a = await engine.handlers['pg.watch']({ url: cluster.url, intervalMs: 60_000, budget: null, planLimit: null });
      const b = await engine.handlers['pg.watch']({ url: cluster.url, intervalMs: 60_000, budget: null, planLimit: null });
      expect(b.targetId).toBe(a.targetId);
      await waitFor(async () => (await preflightBackends()) === 1, { what: 'one preflight backend' });
      const sessions = await engine.handlers['pg.sessions']({ targetId: a.targetId });
      expect(sessions.some((s) => s.application === 'observer')).toBe(true);
      expect(await preflightBackends()).toBe(1);
    } finally {
      await engine.close();
    }
  });
});
