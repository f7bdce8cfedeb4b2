/**
 * `preflight http` as a user runs it, the TLS expiry probe against a real https server with a
 * short-lived certificate, and masking of what probes keep.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../demo';
import { checkTls } from '../electron/core/checks/http';
import { freePort } from '../demo/ephemeral/ports';
import { maskBody, maskHeaders, probeTls } from '../electron/core/probes/http';
import { HttpExpectations, type HttpObservation } from '../shared/schemas/http';
import { wiredProfile } from './checks/wired-stack';
import { runCli } from './harness/cli';
import { freshDatabase, sharedRedis } from './harness';

let good: SampleApi;
let leaky: SampleApi;
let pgUrl: string;
beforeAll(async () => {
  pgUrl = (await freshDatabase('httpcli')).url;
  good = await startSampleApi({ pgUrl, redisUrl: sharedRedis().url });
  leaky = await startSampleApi({ pgUrl, redisUrl: sharedRedis().url, twins: { unsignedWebhooksAccepted: true } });
});
afterAll(async () => {
  await Promise.all([good?.close(), leaky?.close()]);
});

describe('preflight http', () => {
  it('prints a results array and exits 0 on the good stack', async () => {
    const r = await runCli(['http', '--base-url', good.url, '--allowed-origin', 'https://startinsight.app', '--json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { results: { id: string; status: string; summary: string; evidence: object }[]; requests: number };
    expect(doc.results.map((x) => x.id)).toEqual(['health.basic', 'health.live', 'health.ready', 'health.ready-consistent', 'request-id.generated', 'request-id.echoed', 'cors.allowlist', 'webhook.signature', 'errors.no-leak', 'security.headers', 'tls.expiry']);
    expect(doc.results.find((x) => x.id === 'health.ready-consistent')!.status).toBe('skipped');
    expect(doc.results.filter((x) => x.status === 'fail' || x.status === 'error')).toEqual([]);
    // 3 health, 3 request-id (two fresh, one echo), security headers, 404, 422, 500, 2 webhook, 2 CORS for the foreign origin, 2 for the allowed one.
    expect(doc.requests).toBe(16);
  });

  it('names no platform: its titles and fixes are the catalogue’s generic ones, in --json and in the printed report', async () => {
    const PLATFORMS = /Railway|Supabase|Upstash|Vercel|alembic|StartInsight|b010|healthcheck_path/i;
    const json = await runCli(['http', '--base-url', good.url, '--json']);
    const doc = JSON.parse(json.stdout) as { results: { id: string; title: string; severity: string; fix: string }[] };
    expect(doc.results).toHaveLength(11);
    for (const r of doc.results) {
      expect(r.fix, r.id).toEqual(expect.any(String));
      expect(`${r.title} ${r.fix}`, r.id).not.toMatch(PLATFORMS);
    }
    const printed = await runCli(['http', '--base-url', good.url]);
    expect(printed.stdout).toContain('health.basic');
    expect(`${printed.stdout}\n${printed.stderr}`).not.toMatch(PLATFORMS);
  });

  it('exits 1 when a check fails, with the failing check in the results', async () => {
    const r = await runCli(['http', '--base-url', leaky.url, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { results: { id: string; status: string }[] };
    expect(doc.results.find((x) => x.id === 'webhook.signature')!.status).toBe('fail');
  });

  it('--profile: a target secret that cannot be resolved exits 2 naming the environment and the secret, instead of skipping the cross-check', async () => {
    const profile = wiredProfile();
    const base = { T_API_URL: good.url, T_REDIS_URL: sharedRedis().url };
    const missing = await runCli(['http', '--profile', profile, '--env', 'local', '--json'], { env: { ...base, T_DB_URL: '' } });
    expect(missing.code).toBe(2);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(missing.stderr).toContain('environment "local"');
    expect(missing.stderr).toContain('secret "db": environment variable T_DB_URL is not set');
    // --pg-url stands in for the secret; with both resolvable the cross-check really runs.
    const flag = await runCli(['http', '--profile', profile, '--env', 'local', '--pg-url', pgUrl, '--json'], { env: { ...base, T_DB_URL: '' } });
    const set = await runCli(['http', '--profile', profile, '--env', 'local', '--json'], { env: { ...base, T_DB_URL: pgUrl } });
    for (const r of [flag, set]) {
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.stdout) as { results: { id: string; status: string }[] };
      expect(doc.results.find((x) => x.id === 'health.ready-consistent')!.status).toBe('pass');
    }
  });

  it('exits 3 when the API does not answer, and 2 on a bad flag', async () => {
    const dead = await runCli(['http', '--base-url', `http://127.0.0.1:${await freePort()}`, '--timeout-ms', '500']);
    expect(dead.code).toBe(3);
    expect(dead.stderr).toContain('did not answer: connection refused');
    const bad = await runCli(['http', '--base-url', 'ftp://x', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('the URL must start with http:// or https://');
    const badOrigin = await runCli(['http', '--base-url', good.url, '--allowed-origin', 'https://a.example/path']);
    expect(badOrigin.code).toBe(2);
    expect(badOrigin.stderr).toContain('is not an origin');
  });
});

describe('TLS expiry', () => {
  it('reads days-to-expiry from a real certificate and fails one expiring in 3 days', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-tls-'));
    try {
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '3', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost'], { stdio: 'ignore' });
      const cert = readFileSync(join(dir, 'cert.pem'));
      const server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (_, res) => res.end('ok'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      const base = `https://localhost:${(server.address() as { port: number }).port}`;
      try {
        const trusted = await probeTls(base, 2000, { ca: cert });
        expect(trusted.authorized).toBe(true);
        expect(trusted.daysToExpiry).toBeGreaterThanOrEqual(2.9);
        expect(trusted.daysToExpiry).toBeLessThanOrEqual(3);
        const o: HttpObservation = { baseUrl: base, startedAt: '', durationMs: 0, sentRequestId: '', exchanges: [], direct: { database: null, redis: null }, tls: trusted };
        const r = checkTls(o, HttpExpectations.parse({}));
        expect(r.status).toBe('fail');
        expect(r.summary).toMatch(/expires in [23]\.\d days/);
        const untrusted = await probeTls(base, 2000);
        expect(untrusted.authorized).toBe(false);
        expect(checkTls({ ...o, tls: { ...untrusted, daysToExpiry: 90 } }, HttpExpectations.parse({})).summary).toContain('is not trusted');
      } finally {
        server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('masking', () => {
  it('masks secret headers and JSON fields, keeps the rest, pretty-prints', () => {
    expect(maskHeaders({ 'Set-Cookie': 'session=abcdef', 'Content-Type': 'application/json' })).toEqual({ 'set-cookie': '***** (14 chars)', 'content-type': 'application/json' });
    const body = maskBody('{"status":"ok","api_key":"sk_live_123456","nested":{"password":"hunter2","dsn":"https://k@sentry.io/1"},"url":"postgres://u:pw@h/db"}');
    expect(body).not.toMatch(/sk_live|hunter2|:pw@/);
    expect(body).toContain('"api_key": "***** (14 chars)"');
    expect(body).toContain('"status": "ok"');
    expect(maskBody('token=abc123&x=1')).toBe('token=*****&x=1');
  });
});
