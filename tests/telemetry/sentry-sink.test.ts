/**
 * Crash reports through a local HTTP sink standing in for Sentry: an error thrown in main and
 * one thrown in the renderer (real UI in Chromium, forwarded over the contract to main's
 * Sentry) arrive, masked; none of the canaries does (URL passwords, tokens, `password=`, SQL
 * literals, console lines); and with no DSN configured nothing is sent at all.
 */
import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crashReportingSettings, sentryOptions } from '../../electron/core/telemetry/crash-reporting';
import { launchChromium } from '../harness/browser';
import { PROJECT_ROOT } from '../harness/cli';

const CANARY = `sentry-canary-${Math.random().toString(36).slice(2)}`;
const envelopes: string[] = [];
let server: Server;
let port = 0;

function runChild(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(PROJECT_ROOT, 'bin', 'run-ts.mjs'), join(PROJECT_ROOT, 'tests', 'telemetry', 'crash-child.ts')], { cwd: PROJECT_ROOT, env: { ...process.env, PREFLIGHT_SENTRY_DSN: '', CANARY, ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? 1 : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      envelopes.push((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('crash reporting', () => {
  it('is off until a DSN is configured: no options, nothing sent', async () => {
    expect(sentryOptions(crashReportingSettings({}, join(PROJECT_ROOT, 'no-such-dir')), '1')).toBeNull();
    const child = await runChild({});
    expect(child.stdout).toContain('crash reporting off');
    expect(envelopes).toEqual([]);
  });

  it('sends the error to the DSN with every canary masked and no console breadcrumb', async () => {
    const child = await runChild({ PREFLIGHT_SENTRY_DSN: `http://publickey@127.0.0.1:${port}/42` });
    expect(child.stdout, child.stderr).toContain('sent');
    const all = envelopes.join('\n');
    const event = all.split('\n').find((line) => line.includes('"exception"'));
    expect(event, all.slice(0, 2000)).toBeDefined();
    expect(event).toContain('crash while sampling postgres://monitor:*****@db.internal:5432/app');
    expect(event).toContain('"sdk"');
    expect(all).not.toContain(CANARY);
    const parsed = JSON.parse(event!) as { user?: unknown; server_name?: unknown; breadcrumbs: { category: string; message: string }[] };
    // Console breadcrumbs are off; the others arrive masked.
    expect(parsed.breadcrumbs.map((b) => b.category)).toEqual(['probe', 'pg']);
    expect(parsed.breadcrumbs[1]!.message).toMatch(/^SELECT \* FROM users WHERE api_key = /);
    expect(parsed.user).toBeUndefined();
    expect(parsed.server_name).toBeUndefined();
  });
});

describe('renderer crashes', () => {
  it('reach the DSN through main, tagged renderer, with every canary masked', async () => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'run-ts.mjs'), join(PROJECT_ROOT, 'tests', 'telemetry', 'renderer-crash-child.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PREFLIGHT_SENTRY_DSN: `http://publickey@127.0.0.1:${port}/42` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const browser = await launchChromium();
    try {
      await expect.poll(() => /ui (http\S+)/.exec(out)?.[1], { timeout: 60_000 }).toBeTruthy();
      const page = await browser.newPage();
      await page.goto(`${/ui (http\S+)/.exec(out)![1]}#/postgres`);
      await page.getByText('Postgres connection use').waitFor();
      const before = envelopes.length;
      // Thrown by the page itself, outside any handler: what window.onerror and unhandledrejection see.
      await page.evaluate((canary) => {
        setTimeout(() => {
          throw new Error(`renderer crash while drawing postgres://monitor:${canary}-r1@db.internal:5432/app`);
        });
        void Promise.reject(new Error(`renderer rejection for https://api.example/x?token=${canary}-r2 (password=${canary}-r3)`));
      }, CANARY);
      const events = () => envelopes.slice(before).join('\n').split('\n').filter((line) => line.includes('"exception"'));
      await expect.poll(() => events().length, { timeout: 30_000 }).toBe(2);
      const all = events().join('\n');
      expect(all).toContain('renderer crash while drawing postgres://monitor:*****@db.internal:5432/app');
      expect(all).toMatch(/renderer rejection for https:\/\/api\.example\/x\?token=\*{5}/);
      expect(all).not.toContain(CANARY);
      const parsed = events().map((e) => JSON.parse(e) as { tags?: Record<string, string>; extra?: Record<string, string> });
      expect(parsed.map((e) => e.tags?.process)).toEqual(['renderer', 'renderer']);
      expect(parsed.map((e) => e.tags?.source).sort()).toEqual(['unhandledrejection', 'window.error']);
      expect(parsed.every((e) => e.extra?.page === '#/postgres')).toBe(true);
      await page.close();
    } finally {
      await browser.close();
      child.kill('SIGTERM');
      await exited;
    }
  });
});
