import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sseReport } from '../../electron/core/checks/active';
import { manualTrigger } from '../../electron/core/probes/active/guardrails';
import { planSse, runSseProbe, type SseRequest } from '../../electron/core/probes/active/sse-hold';
import { startSseServer, type SseServer } from '../fixtures/sse-server';
import { closeAll, freshDatabase, openSessions, privatePostgres, waitFor } from '../harness';
import { consentFor, useTempDataDir } from './helpers';

useTempDataDir();
let db: { url: string };
const servers: SseServer[] = [];
beforeAll(async () => {
  db = await freshDatabase('sse');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function probe(server: SseServer, app: string, overrides: Partial<SseRequest> = {}) {
  const req: SseRequest = { url: server.url, pgUrl: db.url, applicationName: app, streams: 20, seconds: 3, environment: 'local', sampleIntervalMs: 150, ...overrides };
  return sseReport(await runSseProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planSse(req)) }));
}

describe('SSE connection-hold probe against real SSE servers and the harness Postgres', () => {
  it('a server that opens and closes a session per poll stays low and returns to baseline', async () => {
    const app = `sse-release-${Date.now()}`;
    const server = await startSseServer({ mode: 'release', pgUrl: db.url, applicationName: app });
    servers.push(server);
    const idle = await openSessions(db.url, 2, app); // the app's own idle sessions form the baseline
    try {
      const report = await probe(server, app);
      expect(report.streamsOpened).toBe(20);
      expect(report.streamsRefused).toBe(0);
      expect(report.baselineConnections).toBe(2);
      // Twenty streams polling at once can spike briefly; what matters is what they hold.
      expect(report.peakConnections).toBeLessThan(50);
      // Per-poll sessions come and go within a poll: none is attributed to the streams.
      expect(report.heldConnections).toBe(0);
      expect(report.afterConnections).toBe(2);
      expect(report.verdict).toBe('pass');
      // Every stream was really served (how many events fit in the window depends on machine load).
      expect(report.observation.streams.every((s) => s.events >= 1)).toBe(true);
      expect(report.observation.samples.filter((s) => s.phase === 'open').some((s) => s.openStreams === 20)).toBe(true);
      await waitFor(() => server.openStreams === 0, { what: 'the server to see every stream closed' });
    } finally {
      await closeAll(idle);
    }
  });

  it('a server that holds a session per stream is flagged with its peak', async () => {
    const app = `sse-hold-${Date.now()}`;
    const server = await startSseServer({ mode: 'hold', pgUrl: db.url, applicationName: app });
    servers.push(server);
    const report = await probe(server, app);
    expect(report.streamsOpened).toBe(20);
    expect(report.baselineConnections).toBe(0);
    expect(report.peakConnections).toBe(20);
    expect(report.heldConnections).toBe(20);
    expect(report.verdict).toBe('fail');
    expect(report.summary).toMatch(/held 20 database sessions \(by pid: 20 closed with the streams; .*\) — one per stream, released only when the streams closed \(median while open 20, peak 20, baseline 0/);
    expect(report.observation.attribution!.held).toHaveLength(20);
    // Once the streams close, the twin releases its sessions too.
    expect(report.afterConnections).toBe(0);
  });

  it('streams the server refuses with 429 are reported as refused, not as failures', async () => {
    const app = `sse-limited-${Date.now()}`;
    const server = await startSseServer({ mode: 'release', pgUrl: db.url, applicationName: app, streamLimit: 5 });
    servers.push(server);
    const report = await probe(server, app, { streams: 8, seconds: 1.5 });
    expect(report.streamsOpened).toBe(5);
    expect(report.streamsRefused).toBe(3);
    expect(report.streamsFailed).toBe(0);
    // 5 of 8 streams cannot show what 8 would hold: no verdict, and the summary says why and when to retry.
    expect(report.verdict).toBe('inconclusive');
    expect(report.summary).toMatch(/only 5 of 8 streams opened .*the API's own stream limit refused 3 \(429\); it says to retry in 60 s/);
  });

  it('matches the app by client address when it has no application name of its own', async () => {
    // Private cluster: only the fixture and the probe connect to it, so the address is the app's.
    const cluster = await privatePostgres({ maxConnections: 30 });
    try {
      const server = await startSseServer({ mode: 'hold', pgUrl: cluster.url, applicationName: '' });
      servers.push(server);
      const req: SseRequest = { url: server.url, pgUrl: cluster.url, applicationName: null, clientAddress: '127.0.0.1', streams: 4, seconds: 1.5, environment: 'local', sampleIntervalMs: 150 };
      const report = sseReport(await runSseProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planSse(req)) }));
      expect(report.observation.match).toEqual({ applicationName: null, clientAddress: '127.0.0.1' });
      expect(report.baselineConnections).toBe(0);
      expect(report.peakConnections).toBe(4);
      expect(report.heldConnections).toBe(4);
      expect(report.verdict).toBe('fail');
    } finally {
      await cluster.destroy();
    }
  });

  it('cancel closes every stream long before the run would end', async () => {
    const app = `sse-cancel-${Date.now()}`;
    const server = await startSseServer({ mode: 'hold', pgUrl: db.url, applicationName: app });
    servers.push(server);
    const req: SseRequest = { url: server.url, pgUrl: db.url, applicationName: app, streams: 10, seconds: 30, environment: 'local' };
    const controller = new AbortController();
    const run = runSseProbe(req, { trigger: manualTrigger('test'), consent: consentFor(planSse(req)), signal: controller.signal });
    await waitFor(() => server.openStreams === 10, { what: '10 open streams' });
    controller.abort();
    // The run would hold its streams for 30 s: all of them closing within the poll can only be the cancel.
    await waitFor(() => server.openStreams === 0, { what: 'cancel to close every stream (the run holds them 30 s)' });
    const obs = await run;
    expect(obs.stoppedBy).toBe('cancelled');
  });
});
