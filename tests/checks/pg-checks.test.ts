import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import type { EphemeralPostgres } from '../../demo/ephemeral/postgres';
import { runChecks } from '../../electron/core/engine/run-checks';
import { loadProfile } from '../../electron/core/profile/load';
import { closeAll, openSessions, privatePostgres, waitFor } from '../harness';
import { profileYaml, tempDir } from './fixtures';

// Private cluster: these tests need exact cluster-wide session counts and lock states.
let cluster: EphemeralPostgres;
const dir = tempDir();
beforeAll(async () => {
  cluster = await privatePostgres({ maxConnections: 20 });
});
afterAll(async () => {
  await cluster?.destroy();
});

function profileWith(postgres: string) {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, profileYaml({ expectations: `  postgres:\n${postgres}` }));
  return loadProfile(file, { knownCheckIds: CHECK_IDS });
}

async function run(postgres: string, only: string[], url = cluster.url) {
  const report = await runChecks({ loaded: profileWith(postgres), environment: 'prod', only, env: { TEST_DATABASE_URL: url } });
  return report.results;
}

describe('pg.pool-utilization on a real cluster (max_connections 20, 3 reserved → 17 usable)', () => {
  const expectations = '    poolUtilization: { warn: 0.5, fail: 0.8 }\n';

  it('passes with a few sessions and reports the numbers it used', async () => {
    const sessions = await openSessions(cluster.url, 2, 'app');
    try {
      const [r] = await run(expectations, ['pg.pool-utilization']);
      expect(r!.status).toBe('pass');
      expect(r!.evidence).toMatchObject({ connections: 2, maxConnections: 20, usableConnections: 17 });
      expect(r!.summary).toMatch(/2 of 17 usable connections/);
    } finally {
      await closeAll(sessions);
    }
  });

  it('fails at 80 % of usable connections (14 of 17)', async () => {
    const sessions = await openSessions(cluster.url, 14, 'app');
    try {
      const [r] = await run(expectations, ['pg.pool-utilization']);
      expect(r!.status).toBe('fail');
      expect(r!.evidence).toMatchObject({ connections: 14 });
      expect(r!.evidence.byApplication).toEqual([{ name: 'app', count: 14 }]);
    } finally {
      await closeAll(sessions);
    }
  });

  it('warns between the bands (9 of 17 ≥ 50 %)', async () => {
    const sessions = await openSessions(cluster.url, 9, 'app');
    try {
      const [r] = await run(expectations, ['pg.pool-utilization']);
      expect(r!.status).toBe('warn');
    } finally {
      await closeAll(sessions);
    }
  });

  it('fails when the plan gives fewer connections than required (Supabase Free 60 vs Pro 500)', async () => {
    const [r] = await run(`${expectations}    maxConnectionsAtLeast: 500\n`, ['pg.pool-utilization']);
    expect(r!.status).toBe('fail');
    expect(r!.summary).toMatch(/max_connections is 20.*at least 500/);
  });

  it('a dead target is an error (unknown), never a pass', async () => {
    const [r] = await run(expectations, ['pg.pool-utilization', 'pg.lock-waits'], 'postgres://nobody@127.0.0.1:1/none');
    expect(r!.status).toBe('error');
    expect(r!.summary).toMatch(/postgres probe failed: Connection refused/);
  });
});

describe('pg.idle-in-transaction on a real cluster', () => {
  const expectations = '    idleInTransactionSeconds: { warn: 0.3, fail: 1 }\n';

  it('fails while a session sits idle in a transaction past the limit, passes once it commits', async () => {
    const [c] = await openSessions(cluster.url, 1, 'leaky-app');
    try {
      expect((await run(expectations, ['pg.idle-in-transaction']))[0]!.status).toBe('pass');
      await c!.query('BEGIN');
      await c!.query('SELECT 1');
      const failing = await waitFor(async () => {
        const [r] = await run(expectations, ['pg.idle-in-transaction']);
        return r!.status === 'fail' ? r : null;
      }, { what: 'idle-in-transaction failure', timeoutMs: 15_000, intervalMs: 200 });
      expect(failing.evidence.sessions).toBe(1);
      expect(failing.evidence.longestSeconds as number).toBeGreaterThanOrEqual(1);
      expect(failing.summary).toContain('leaky-app');
      await c!.query('COMMIT');
      expect((await run(expectations, ['pg.idle-in-transaction']))[0]!.status).toBe('pass');
    } finally {
      await closeAll([c!]);
    }
  });
});

describe('pg.lock-waits on a real cluster', () => {
  const expectations = '    lockWaitSeconds: { warn: 0.2, fail: 1 }\n';

  it('fails while a session waits on a lock held by another, passes once released', async () => {
    const setup = new pg.Client({ connectionString: cluster.url });
    await setup.connect();
    await setup.query('CREATE TABLE IF NOT EXISTS lock_target (id int)');
    await setup.end();
    const [holder, waiter] = await openSessions(cluster.url, 2, 'locker');
    try {
      await holder!.query('BEGIN');
      await holder!.query('LOCK TABLE lock_target IN ACCESS EXCLUSIVE MODE');
      const blocked = waiter!.query('SELECT count(*) FROM lock_target');
      const failing = await waitFor(async () => {
        const [r] = await run(expectations, ['pg.lock-waits']);
        return r!.status === 'fail' ? r : null;
      }, { what: 'lock-wait failure', timeoutMs: 15_000, intervalMs: 200 });
      expect(failing.evidence.waitingOnLocks).toBe(1);
      const blockedRows = failing.evidence.blocked as { pid: number; blockedBy: number[] }[];
      expect(blockedRows).toHaveLength(1);
      expect(blockedRows[0]!.blockedBy).toEqual([(holder as unknown as { processID: number }).processID]);
      await holder!.query('COMMIT');
      await blocked;
      expect((await run(expectations, ['pg.lock-waits']))[0]!.status).toBe('pass');
    } finally {
      await closeAll([holder!, waiter!]);
    }
  });
});
