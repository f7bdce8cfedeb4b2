/** A target that stalls (accepts, never answers) never makes samples pile up: ticks are skipped and counted, one request at a time. */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../electron/core/profile/load';
import { WatchStore } from '../../electron/core/store/watch-store';
import { WatchSession } from '../../electron/core/watch/session';
import { waitFor } from '../harness';

const held: ServerResponse[] = [];
let open = 0;
let maxOpenPerPath = new Map<string, number>();
const openPerPath = new Map<string, number>();
const server = createServer((req, res) => {
  const path = req.url ?? '/';
  open++;
  openPerPath.set(path, (openPerPath.get(path) ?? 0) + 1);
  maxOpenPerPath.set(path, Math.max(maxOpenPerPath.get(path) ?? 0, openPerPath.get(path)!));
  res.on('close', () => {
    open--;
    openPerPath.set(path, openPerPath.get(path)! - 1);
  });
  held.push(res); // never answered
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('a stalled target', () => {
  it('gets one request per endpoint at a time while ticks are skipped and counted', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const dir = mkdtempSync(join(tmpdir(), 'preflight-stall-'));
    const file = join(dir, 'p.yaml');
    writeFileSync(file, `version: 1\nname: stalled\nenvironments:\n  - { name: local, kind: dev, targets: { api: { baseUrl: 'http://127.0.0.1:${(server.address() as AddressInfo).port}' } } }\n`);
    const store = new WatchStore(join(dir, 'w.sqlite'));
    const session = new WatchSession({ loaded: loadProfile(file), environment: 'local', store, durationMs: 3_600_000, tickMs: 200, intervals: { api: 100, checks: 3_600_000 }, onEvent: () => undefined });
    // The first round times out (500 ms) and nothing else answers: exit-3 territory.
    await expect(session.start()).rejects.toThrow(/nothing answered/);
    maxOpenPerPath = new Map();
    // Now with a target that answers once, then stalls: the watch runs and must skip, not queue.
    let answered = false;
    server.removeAllListeners('request');
    server.on('request', (req, res) => {
      const path = req.url ?? '/';
      openPerPath.set(path, (openPerPath.get(path) ?? 0) + 1);
      maxOpenPerPath.set(path, Math.max(maxOpenPerPath.get(path) ?? 0, openPerPath.get(path)!));
      res.on('close', () => openPerPath.set(path, openPerPath.get(path)! - 1));
      if (!answered || path !== '/health/ready') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      if (path === '/health/ready') answered = true;
    });
    const running = new WatchSession({ loaded: loadProfile(file), environment: 'local', store, durationMs: 3_600_000, tickMs: 200, intervals: { api: 100, checks: 3_600_000 }, onEvent: () => undefined });
    await running.start();
    await waitFor(() => (running.targetStates.find((t) => t.target === 'api')?.skipped ?? 0) >= 5, { what: 'skipped ticks', timeoutMs: 20_000 });
    await running.stop();
    expect(Math.max(...maxOpenPerPath.values())).toBe(1);
    const samples = store.sampleCount(running.session.id, 'http.ready_up');
    const skipped = running.targetStates.find((t) => t.target === 'api')!.skipped;
    // Samples are the finished polls (a 500 ms timeout each), far fewer than the 100 ms ticks.
    expect(samples).toBeLessThan(skipped + 3);
    store.close();
    expect(open).toBeGreaterThanOrEqual(0);
  });
});
