import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EphemeralPostgres } from '../demo/ephemeral/postgres';
import { PgWatcher } from '../electron/core/monitor/pg-watcher';
import type { PgTick } from '../shared/schemas/postgres';
import { runCli } from './harness/cli';
import { closeAll, openSessions, privatePostgres } from './harness';

// Private: this file stops and restarts its cluster.
let cluster: EphemeralPostgres;
beforeAll(async () => {
  cluster = await privatePostgres({ maxConnections: 50 });
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('preflight pg (CLI)', () => {
  it('activity --json prints exactly one JSON document with the public fields', async () => {
    const sessions = await openSessions(cluster.url, 4, 'cli-app');
    try {
      const result = await runCli(['pg', 'activity', '--url', cluster.url, '--budget', '50', '--plan-limit', '60', '--json']);
      expect(result.code).toBe(0);
      const doc = JSON.parse(result.stdout) as Record<string, unknown>;
      for (const key of ['maxConnections', 'reservedConnections', 'total', 'byState', 'byApplication', 'waitingOnLocks', 'blocked', 'oldestQuerySeconds', 'oldestTransactionSeconds', 'longestIdleInTransactionSeconds', 'utilization', 'budget', 'budgetUtilization', 'sampledAt', 'sampleMs']) {
        expect(doc).toHaveProperty(key);
      }
      expect(doc.total).toBe(4);
      expect(doc.byApplication).toEqual([{ name: 'cli-app', count: 4 }]);
      expect(doc.budget).toBe(50);
      expect(doc.budgetUtilization).toBeCloseTo(4 / 50, 4);
      expect(doc.planLimit).toBe(60);
      expect(doc.planUtilization).toBeCloseTo(4 / 60, 4);
    } finally {
      await closeAll(sessions);
    }
  });

  it('activity exits 1 when sessions exceed the budget', async () => {
    const sessions = await openSessions(cluster.url, 6, 'over-budget');
    try {
      const result = await runCli(['pg', 'activity', '--url', cluster.url, '--budget', '5', '--json']);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout).total).toBe(6);
    } finally {
      await closeAll(sessions);
    }
  });

  it('sessions --json lists each session with its ages and its query text normalised (literals never shown)', async () => {
    const [c] = await openSessions(cluster.url, 1, 'lister');
    try {
      await c!.query('BEGIN');
      await c!.query("SELECT 'marker-query-42'");
      const result = await runCli(['pg', 'sessions', '--url', cluster.url, '--json']);
      expect(result.code).toBe(0);
      const rows = JSON.parse(result.stdout) as { application: string; state: string; query: string; transactionAgeSeconds: number }[];
      const mine = rows.filter((r) => r.application === 'lister');
      expect(mine).toHaveLength(1);
      expect(mine[0]!.state).toBe('idle in transaction');
      // The literal is replaced by a placeholder, as pg_stat_statements shows it: the text is never in --json.
      expect(mine[0]!.query).toBe('SELECT $1');
      expect(result.stdout).not.toContain('marker-query-42');
      expect(mine[0]!.transactionAgeSeconds).toBeGreaterThanOrEqual(0);
      expect(rows.some((r) => r.application === 'preflight')).toBe(false);
    } finally {
      await c!.query('ROLLBACK');
      await closeAll([c!]);
    }
  });

  it('bad usage exits 2 and names the problem', async () => {
    const result = await runCli(['pg', 'activity', '--url', 'mysql://nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/postgres:\/\//);
    expect(result.stdout).toBe('');
  });

  it('a dead target exits 3 with a one-line reason; the watcher recovers on the next tick once it is back', async () => {
    const ticks: PgTick[] = [];
    const watcher = new PgWatcher({ targetId: 't1', url: cluster.url, intervalMs: 60_000, budget: null, onTick: (t) => ticks.push(t) });
    try {
      expect((await watcher.tick()).status).toBe('up');
      await cluster.stop();
      const result = await runCli(['pg', 'activity', '--url', cluster.url, '--json']);
      expect(result.code).toBe(3);
      // --json: every outcome is one JSON document; a failure is an error document (issue 11).
      expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
      const reason = result.stderr.trim();
      expect(reason.split('\n')).toHaveLength(1);
      expect(reason).toMatch(/unreachable/i);
      const down = await watcher.tick();
      expect(down.status).toBe('down');
      expect(down.error).toBeTruthy();
      await cluster.start();
      const back = await watcher.tick();
      expect(back.status).toBe('up');
      expect(back.sample?.maxConnections).toBe(50);
      expect(ticks.map((t) => t.status)).toEqual(['up', 'down', 'up']);
    } finally {
      await watcher.stop();
    }
  });

  it('skips a tick while the previous sample is still running instead of queueing it', async () => {
    const ticks: PgTick[] = [];
    const watcher = new PgWatcher({ targetId: 't2', url: cluster.url, intervalMs: 60_000, budget: null, onTick: (t) => ticks.push(t) });
    try {
      const [first, second] = await Promise.all([watcher.tick(), watcher.tick()]);
      expect(first.status).toBe('up');
      expect(second.status).toBe('skipped');
      expect(watcher.skippedTicks).toBe(1);
    } finally {
      await watcher.stop();
    }
  });
});
