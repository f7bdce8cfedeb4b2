/** A base URL with user-info must not leak into an observation, a summary or evidence. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTls, evaluateHttp } from '../../electron/core/checks/http';
import { runPassiveProbes } from '../../electron/core/probes/http';
import { HttpExpectations } from '../../shared/schemas/http';

const CANARY = 'Canary5basic';
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://probe:${CANARY}@127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('HTTP checks with user-info in the base URL', () => {
  it('the plain-http production verdict names the target without its password', () => {
    const observation = { baseUrl: base, startedAt: '', durationMs: 0, sentRequestId: '', exchanges: [], direct: { database: null, redis: null }, tls: null };
    const production = checkTls(observation, HttpExpectations.parse({ production: true }));
    expect(production.status).toBe('fail');
    expect(production.summary).toContain('probe:*****@127.0.0.1');
    const dev = checkTls(observation, HttpExpectations.parse({}));
    expect(dev.status).toBe('skipped');
    expect(JSON.stringify([production, dev])).not.toContain(CANARY);
  });

  it('a real passive run and every check over it carry no password', async () => {
    const observation = await runPassiveProbes(base, { expectations: { production: true, timeoutMs: 2000 } });
    expect(observation.exchanges.some((e) => e.status === 200)).toBe(true);
    const results = evaluateHttp(observation, { production: true });
    expect(results.find((r) => r.id === 'tls.expiry')?.status).toBe('fail');
    expect(JSON.stringify(observation)).not.toContain(CANARY);
    expect(JSON.stringify(results)).not.toContain(CANARY);
  });
});
