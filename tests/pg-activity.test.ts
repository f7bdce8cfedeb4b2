import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EphemeralPostgres } from '../demo/ephemeral/postgres';
import { ProbeClient, listSessions, sampleActivity } from '../electron/core/probes/postgres';
import { closeAll, openSessions, privatePostgres, waitFor } from './harness';

// A private cluster: counts must be exact, so no other test file may connect here.
let cluster: EphemeralPostgres;
let probe: ProbeClient;

beforeAll(async () => {
  cluster = await privatePostgres({ maxConnections: 80 });
  probe = new ProbeClient(cluster.url);
});
afterAll(async () => {
  await probe?.close();
  await cluster?.destroy();
});

describe('sampleActivity on a real cluster', () => {
  it('reports 30 sessions of another application as exactly 30, and never counts itself', async () => {
    const sessions = await openSessions(cluster.url, 30, 'loadgen-30');
    try {
      const sample = await sampleActivity(probe, { budget: 50 });
      expect(sample.byApplication).toEqual([{ name: 'loadgen-30', count: 30 }]);
      expect(sample.total).toBe(30);
      expect(sample.byState).toEqual({ idle: 30 });
      expect(sample.byClient).toEqual([{ name: '127.0.0.1', count: 30 }]);
      expect(sample.maxConnections).toBe(80);
      expect(sample.usableConnections).toBe(80 - sample.reservedConnections);
      expect(sample.utilization).toBeCloseTo(30 / 80, 4);
      expect(sample.budgetUtilization).toBeCloseTo(30 / 50, 4);
      // The probe's own backend exists (it just answered) but appears nowhere.
      const own = await probe.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const listed = await listSessions(probe);
      expect(listed.map((s) => s.pid)).not.toContain(own.rows[0]!.pid);
      expect(listed.filter((s) => s.application === 'loadgen-30')).toHaveLength(30);
    } finally {
      await closeAll(sessions);
    }
  });

  it("leaves Preflight's other read-only probe sessions out of every count", async () => {
    const other = new ProbeClient(cluster.url);
    const app = await openSessions(cluster.url, 2, 'real-app');
    try {
      await other.connect();
      const sample = await sampleActivity(probe);
      expect(sample.total).toBe(2);
      expect(sample.byApplication).toEqual([{ name: 'real-app', count: 2 }]);
      expect((await listSessions(probe)).map((s) => s.application)).toEqual(['real-app', 'real-app']);
    } finally {
      await other.close();
      await closeAll(app);
    }
  });

  it('counts sessions idle in transaction with their ages', async () => {
    const sessions = await openSessions(cluster.url, 3, 'idle-tx');
    try {
      const began = performance.now();
      for (const c of sessions) {
        await c.query('BEGIN');
        await c.query('SELECT 1');
      }
      // Poll until the transactions are at least a second old, instead of sleeping a fixed time.
      const sample = await waitFor(async () => {
        const s = await sampleActivity(probe);
        return s.idleInTransaction.length === 3 && s.idleInTransaction.every((i) => i.seconds >= 1) ? s : null;
      }, { what: 'idle transactions to age past 1 s' });
      expect(sample.byState['idle in transaction']).toBe(3);
      expect(sample.idleInTransaction).toHaveLength(3);
      for (const s of sample.idleInTransaction) {
        expect(s.application).toBe('idle-tx');
        expect(s.seconds).toBeGreaterThanOrEqual(1);
        // Ages are the transactions' own: never more than the time since the test began them (+1 s of rounding).
        expect(s.seconds).toBeLessThanOrEqual((performance.now() - began) / 1000 + 1);
      }
      expect(sample.longestIdleInTransactionSeconds).toBeGreaterThanOrEqual(1);
      expect(sample.oldestTransactionSeconds).toBeGreaterThanOrEqual(sample.longestIdleInTransactionSeconds!);
    } finally {
      await Promise.all(sessions.map((c) => c.query('ROLLBACK')));
      await closeAll(sessions);
    }
  });

  it('reports a session waiting on a row lock with the pid that blocks it', async () => {
    const [holder, waiter] = await openSessions(cluster.url, 2, 'lockers');
    try {
      await holder!.query('CREATE TABLE IF NOT EXISTS lock_me (id int PRIMARY KEY, v int)');
      await holder!.query('INSERT INTO lock_me VALUES (1, 0) ON CONFLICT DO NOTHING');
      const holderPid = (await holder!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const waiterPid = (await waiter!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      await holder!.query('BEGIN');
      await holder!.query('UPDATE lock_me SET v = v + 1 WHERE id = 1');
      const blockedUpdate = waiter!.query('UPDATE lock_me SET v = v + 1 WHERE id = 1');
      const sample = await waitFor(async () => {
        const s = await sampleActivity(probe);
        return s.waitingOnLocks === 1 ? s : null;
      }, { what: 'the waiter to block' });
      expect(sample.blocked).toHaveLength(1);
      expect(sample.blocked[0]!.pid).toBe(waiterPid);
      expect(sample.blocked[0]!.blockedBy).toEqual([holderPid]);
      expect(sample.blocked[0]!.waitingSeconds).toBeGreaterThanOrEqual(0);
      await holder!.query('COMMIT');
      await blockedUpdate;
    } finally {
      await closeAll([holder!, waiter!]);
    }
  });

  it('holds no snapshot between samples, never idles in a transaction, and keeps a ≤ 2 s statement timeout', async () => {
    const observer = new pg.Client({ connectionString: cluster.url, application_name: 'observer' });
    await observer.connect();
    try {
      for (let i = 0; i < 20; i++) {
        await sampleActivity(probe);
        const row = (
          await observer.query<{ n: string; xmin: string | null; state: string }>(
            "SELECT count(*) OVER () AS n, backend_xmin::text AS xmin, state FROM pg_stat_activity WHERE application_name = 'preflight'",
          )
        ).rows;
        expect(row).toHaveLength(1);
        expect(row[0]!.xmin).toBeNull();
        expect(row[0]!.state).not.toMatch(/idle in transaction/);
      }
      const timeout = (await probe.query<{ statement_timeout: string }>('SHOW statement_timeout')).rows[0]!.statement_timeout;
      const ms = /^(\d+)ms$/.test(timeout) ? Number(timeout.slice(0, -2)) : /^(\d+)s$/.test(timeout) ? Number(timeout.slice(0, -1)) * 1000 : NaN;
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(2000);
      const readOnly = (await probe.query<{ default_transaction_read_only: string }>('SHOW default_transaction_read_only')).rows[0]!;
      expect(readOnly.default_transaction_read_only).toBe('on');
      await expect(probe.query('SELECT pg_sleep(3)')).rejects.toMatchObject({ code: '57014' });
      await expect(probe.query('CREATE TABLE probe_must_not_write (id int)')).rejects.toMatchObject({ code: '25006' });
    } finally {
      await observer.end();
    }
  });
});
