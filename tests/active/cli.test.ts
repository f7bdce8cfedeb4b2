import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit } from '../../electron/core/audit/audit-log';
import { startLimiterServer, type LimiterServer } from '../fixtures/limiter-server';
import { startSseServer, type SseServer } from '../fixtures/sse-server';
import { freshDatabase } from '../harness';
import { runCli } from '../harness/cli';
import { useTempDataDir } from './helpers';

useTempDataDir();
let limiter: LimiterServer;
let sse: SseServer;
let db: { url: string };
const app = `cli-sse-${Date.now()}`;
beforeAll(async () => {
  limiter = await startLimiterServer({ mode: 'correct', limit: 100, windowMs: 60_000 });
  db = await freshDatabase('ssecli');
  sse = await startSseServer({ mode: 'hold', pgUrl: db.url, applicationName: app });
});
afterAll(async () => {
  await limiter?.close();
  await sse?.close();
});

describe('preflight ratelimit / sse (CLI)', () => {
  it('without --confirm: exits 2, says what it would send where, and sends nothing', async () => {
    limiter.resetCounters();
    const result = await runCli(['ratelimit', '--url', limiter.url, '--limit', '100', '--xff-check', '--json']);
    expect(result.code).toBe(2);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(result.stderr).toContain(`Would send 202 requests to GET /api/insights on ${new URL(limiter.url).host}`);
    expect(result.stderr).toContain('--confirm');
    const sseResult = await runCli(['sse', '--url', sse.url, '--pg-url', db.url, '--app-name', app, '--streams', '3']);
    expect(sseResult.code).toBe(2);
    expect(sseResult.stderr).toMatch(/Would open 3 SSE streams/);
    expect(limiter.requests).toBe(0);
    expect(limiter.connectionsAccepted).toBe(0);
    expect(sse.streamsServed).toBe(0);
  });

  it('production without the typed environment name is refused with nothing sent', async () => {
    limiter.resetCounters();
    const result = await runCli(['ratelimit', '--url', limiter.url, '--limit', '100', '--environment', 'production', '--confirm', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/production environment; type its name/);
    expect(limiter.requests).toBe(0);
    expect(readAudit().some((a) => a.outcome === 'refused' && a.environment === 'production')).toBe(true);
  });

  it('a non-loopback host with no --environment needs --confirm-host matching the URL host', async () => {
    const remote = 'http://api.example.test:8443/api/insights';
    const plain = await runCli(['ratelimit', '--url', remote, '--limit', '5', '--confirm', '--json']);
    expect(plain.code).toBe(2);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(plain.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(plain.stderr).toContain('--confirm-host api.example.test:8443');
    expect(plain.stderr).toMatch(/nothing was sent/i);
    const wrong = await runCli(['ratelimit', '--url', remote, '--limit', '5', '--confirm', '--confirm-host', 'api.example.test']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--confirm-host "api.example.test" does not match');
    const notConfirmed = await runCli(['sse', '--url', 'http://api.example.test/stream', '--pg-url', db.url, '--streams', '2']);
    expect(notConfirmed.code).toBe(2);
    expect(notConfirmed.stderr).toContain('--confirm-host api.example.test');
    // Past the gate (typed host, or a named environment) the run starts and finds the host unreachable.
    const typed = await runCli(['ratelimit', '--url', remote, '--limit', '5', '--confirm', '--confirm-host', 'api.example.test:8443', '--json']);
    expect(typed.code).toBe(3);
    const named = await runCli(['ratelimit', '--url', remote, '--limit', '5', '--environment', 'staging', '--confirm', '--json']);
    expect(named.code).toBe(3);
  });

  it('cap flags can only lower the hard caps; sse --seconds stops at 120 and --streams at 50', async () => {
    limiter.resetCounters();
    const cases: Array<[string[], RegExp]> = [
      [['--timeout', '30s'], /--timeout 30 is above the hard cap.*at most 5\)/],
      [['--deadline', '10m'], /--deadline 600 is above the hard cap.*at most 60\)/],
      [['--max-5xx', '1'], /--max-5xx 1 is above the hard cap.*at most 0.5\)/],
      [['--max-requests', '501'], /--max-requests 501 is above the hard cap/],
    ];
    for (const [flags, message] of cases) {
      const result = await runCli(['ratelimit', '--url', limiter.url, '--limit', '5', ...flags, '--confirm']);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    const seconds = await runCli(['sse', '--url', sse.url, '--pg-url', db.url, '--app-name', app, '--seconds', '121', '--confirm']);
    expect(seconds.code).toBe(2);
    expect(seconds.stderr).toMatch(/streams may stay open at most 120 s, got 121 s/);
    const streams = await runCli(['sse', '--url', sse.url, '--pg-url', db.url, '--app-name', app, '--streams', '51', '--confirm']);
    expect(streams.code).toBe(2);
    expect(streams.stderr).toMatch(/at most 50 streams may be open at once .*got 51/);
    // Lowering is accepted: a 2 s timeout and a 0.2 ratio run normally.
    limiter.resetCounters();
    const lowered = await runCli(['ratelimit', '--url', limiter.url, '--limit', '100', '--timeout', '2s', '--deadline', '30s', '--max-5xx', '0.2', '--confirm', '--json']);
    expect(lowered.code).toBe(0);
    expect(limiter.requests).toBe(101);
    expect(sse.streamsServed).toBe(0);
  });

  it('the help shows the hard caps; --deadline goes past 60 s only with --check-reset, never past 180 s', async () => {
    const help = await runCli(['ratelimit', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Hard caps[^]*500 requests per run, 50 in flight, 5 s per request, 60 s per run/);
    expect(help.stdout).toMatch(/--check-reset: the run needs the window \+ 30 s[^]*at most 180 s/);
    const sseHelp = await runCli(['sse', '--help']);
    expect(sseHelp.stdout).toMatch(/sse: the deadline is --seconds \+ 12 s settle \+ 15 s, at most 150 s/);
    limiter.resetCounters();
    const plain = await runCli(['ratelimit', '--url', limiter.url, '--limit', '100', '--deadline', '90s', '--confirm']);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/--deadline 90 is above the hard cap.*\(at most 60\)/);
    const tooLong = await runCli(['ratelimit', '--url', limiter.url, '--limit', '100', '--check-reset', '--deadline', '200s', '--confirm']);
    expect(tooLong.code).toBe(2);
    expect(tooLong.stderr).toMatch(/--deadline 200 is above the hard cap.*\(at most 180\)/);
    const hourly = await runCli(['ratelimit', '--url', limiter.url, '--limit', '100', '--window', '1h', '--check-reset', '--deadline', '180s', '--confirm']);
    expect(hourly.code).toBe(2);
    expect(hourly.stderr).toMatch(/needs up to 3630 s .*over the hard maximum of 180 s per run/);
    expect(limiter.requests).toBe(0);
  });

  it('ratelimit --confirm --json prints the public fields: first 429 at 101, Retry-After, verdict pass', async () => {
    limiter.resetCounters();
    limiter.setMode('correct');
    const result = await runCli(['ratelimit', '--url', limiter.url, '--limit', '100', '--window', '60s', '--xff-check', '--confirm', '--json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ sent: 101, first429At: 101, statuses: { '200': 100, '429': 1 }, xffBypass: false, verdict: 'pass' });
    expect(typeof doc.burstMs).toBe('number');
    expect(Number(doc.retryAfter)).toBeGreaterThan(0);
    expect(limiter.requests).toBe(202);
  });

  it('ratelimit exits 1 against the forgeable X-Forwarded-For twin, 3 against a dead port, 2 on bad input', async () => {
    limiter.resetCounters();
    limiter.setMode('xff');
    const twin = await runCli(['ratelimit', '--url', limiter.url, '--limit', '100', '--xff-check', '--confirm', '--json']);
    expect(twin.code).toBe(1);
    expect(JSON.parse(twin.stdout)).toMatchObject({ xffBypass: true, verdict: 'fail' });
    limiter.setMode('correct');
    const dead = await runCli(['ratelimit', '--url', 'http://127.0.0.1:9/api/insights', '--limit', '5', '--confirm', '--json']);
    expect(dead.code).toBe(3);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(dead.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(dead.stderr.trim().split('\n')).toHaveLength(1);
    expect(dead.stderr).toMatch(/unreachable/i);
    const bad = await runCli(['ratelimit', '--url', 'ftp://x', '--limit', '5', '--confirm']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/http:\/\//);
    const loosened = await runCli(['ratelimit', '--url', limiter.url, '--limit', '5', '--concurrency', '80', '--confirm']);
    expect(loosened.code).toBe(2);
    expect(loosened.stderr).toMatch(/--concurrency 80 is above the hard cap: it can only lower the requests in flight \(at most 50\)/);
    const badWindow = await runCli(['ratelimit', '--url', limiter.url, '--limit', '5', '--window', 'soon', '--confirm']);
    expect(badWindow.code).toBe(2);
    expect(badWindow.stderr).toMatch(/duration/);
  });

  it('sse --confirm --json flags a server holding a session per stream', async () => {
    // Trust auth ignores the password, so a canary in the URL must be masked everywhere.
    const canary = 'CanarySsePw9';
    const pgUrl = new URL(db.url);
    pgUrl.password = canary;
    expect(pgUrl.username).not.toBe('');
    const result = await runCli(['sse', '--url', sse.url, '--pg-url', pgUrl.toString(), '--app-name', app, '--streams', '6', '--seconds', '2', '--confirm', '--json']);
    expect(result.code).toBe(1);
    const doc = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({ streamsOpened: 6, streamsRefused: 0, baselineConnections: 0, peakConnections: 6, afterConnections: 0, verdict: 'fail' });
    const audit = readAudit().filter((a) => a.action === 'sse.run');
    expect(audit.at(-1)).toMatchObject({ outcome: 'succeeded', details: { streamsOpened: 6, peak: 6, verdict: 'fail' } });
    expect(JSON.stringify(audit)).not.toContain(canary);
    expect(readFileSync(join(process.env.PREFLIGHT_DATA_DIR!, 'audit.jsonl'), 'utf8')).not.toContain(canary);
    expect(result.stdout).not.toContain(canary);
    expect(result.stderr).not.toContain(canary);
  });
});
