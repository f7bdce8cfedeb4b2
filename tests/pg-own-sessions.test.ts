/**
 * Own sessions are known by pid, never by name (issue 10 §1): sessions of another process
 * that call themselves "preflight" are counted, listed with a note, and can fail the
 * utilisation check; this process's own sampler and reader are left out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EphemeralPostgres } from '../demo/ephemeral/postgres';
import { judgePostgres } from '../electron/core/checks/judge';
import { ProbeClient, listSessions, ownBackendPids, sampleActivity } from '../electron/core/probes/postgres';
import { closeAll, openSessions, privatePostgres, waitFor } from './harness';
import { runCli } from './harness/cli';

// Private and small: 20 connections, 3 reserved for superusers, so 16 sessions are 94 % of usable.
let cluster: EphemeralPostgres;
beforeAll(async () => {
  cluster = await privatePostgres({ maxConnections: 20 });
});
afterAll(async () => {
  await cluster?.destroy();
});

describe('own sessions are recognised by pid', () => {
  it('16 foreign sessions named "preflight" are counted: pg activity exits 1 and says so; the utilisation check fails', async () => {
    const impostors = await openSessions(cluster.url, 16, 'preflight');
    try {
      // One real CLI run (the machine may be busy: generous timeout, no timing asserted).
      const cli = await runCli(['pg', 'activity', '--url', cluster.url], { timeoutMs: 170_000 });
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(/connections\s+16 of 20 max/);
      expect(cli.stdout).toMatch(/16 sessions of other processes call themselves "preflight": counted/);

      const probe = new ProbeClient(cluster.url);
      try {
        const sample = await sampleActivity(probe);
        expect(sample.total).toBe(16);
        expect(sample.namedLikePreflight).toBe(16);
        expect(sample.byApplication).toEqual([{ name: 'preflight', count: 16 }]);
        const verdict = judgePostgres(sample, { budget: null })['pg.pool-utilization']!;
        expect(verdict.status).toBe('fail');
        expect(verdict.summary).toContain('16 of 17 usable connections');
      } finally {
        await probe.close();
      }
    } finally {
      await closeAll(impostors);
    }
  }, 180_000);

  it("this process's own reader is left out while a foreign 'preflight' session is counted and listed with a note", async () => {
    const [impostor] = await openSessions(cluster.url, 1, 'preflight');
    const sampler = new ProbeClient(cluster.url);
    const reader = new ProbeClient(cluster.url, { role: 'reader' });
    try {
      const readerPid = (await reader.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const impostorPid = (await impostor!.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const samplerPid = (await sampler.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      expect(readerPid).not.toBe(samplerPid);
      expect(ownBackendPids(sampler.identity.serverKey).sort()).toEqual([readerPid, samplerPid].sort());

      // The previous test's sessions may take a moment to leave pg_stat_activity.
      const sample = await waitFor(async () => {
        const s = await sampleActivity(sampler);
        return s.total === 1 ? s : null;
      }, { what: 'only the impostor to be counted' });
      expect(sample.namedLikePreflight).toBe(1);
      const rows = await listSessions(sampler);
      expect(rows.map((r) => r.pid)).toEqual([impostorPid]);
      expect(rows[0]!.note).toMatch(/calls itself "preflight" but is not this Preflight's own connection/);
    } finally {
      await Promise.all([sampler.close(), reader.close()]);
      await closeAll([impostor!]);
    }
  });
});
