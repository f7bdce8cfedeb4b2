import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, waitFor } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';
import { startLimiterServer, type LimiterServer } from '../fixtures/limiter-server';
import { startSseServer, type SseServer } from '../fixtures/sse-server';
import { useTempDataDir } from '../active/helpers';

useTempDataDir();
let serve: ServeProcess;
let browser: Browser;
let limiter: LimiterServer;
let bearerLimiter: LimiterServer;
let sse: SseServer;
const token = `pfTok_${randomBytes(16).toString('hex')}`;
let db: { url: string };
const app = `e2e-sse-${Date.now()}`;

beforeAll(async () => {
  limiter = await startLimiterServer({ mode: 'correct', limit: 100, windowMs: 60_000 });
  db = await freshDatabase('e2esse');
  sse = await startSseServer({ mode: 'hold', pgUrl: db.url, applicationName: app });
  // A profile whose environment's API is bearerLimiter and whose secret api_token lives in an environment variable.
  bearerLimiter = await startLimiterServer({ mode: 'correct', limit: 100, windowMs: 60_000 });
  const profiles = mkdtempSync(join(tmpdir(), 'pf-e2e-profiles-'));
  writeFileSync(join(profiles, 'bearer.yaml'), `version: 1\nname: bearer\nenvironments:\n  - name: local\n    kind: dev\n    secrets:\n      api_token: { env: PF_E2E_BEARER_TOKEN }\n    targets:\n      api: { baseUrl: '${bearerLimiter.origin}' }\n`);
  process.env.PREFLIGHT_PROFILES_DIR = profiles;
  process.env.PF_E2E_BEARER_TOKEN = token;
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await limiter?.close();
  await bearerLimiter?.close();
  await sse?.close();
  delete process.env.PF_E2E_BEARER_TOKEN;
});

describe('Rate limit and SSE pages in Chromium via preflight serve', () => {
  it('production consent needs the typed name; the run shows first 429 at 101 and the spoof result', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Rate limit' }).click();
    await page.getByTestId('rl-url').fill(limiter.url);
    await page.getByTestId('rl-limit').fill('100');
    // The environment starts empty and is required: nothing can be planned without naming it.
    expect(await page.getByTestId('rl-environment').inputValue()).toBe('');
    expect(await page.getByTestId('rl-plan').isDisabled()).toBe(true);
    await page.getByTestId('rl-environment').fill('production');
    await page.getByTestId('rl-plan').click();
    await page.getByTestId('consent-dialog').waitFor();
    expect(await page.getByTestId('consent-host').textContent()).toBe(new URL(limiter.url).host);
    expect(await page.getByTestId('consent-count').textContent()).toBe('202');
    expect(await page.getByTestId('consent-confirm').isDisabled()).toBe(true);
    await page.getByTestId('consent-typed').fill('prod');
    expect(await page.getByTestId('consent-confirm').isDisabled()).toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'ratelimit-consent.png') });
    expect(limiter.requests).toBe(0);
    await page.getByTestId('consent-typed').fill('production');
    await page.getByTestId('consent-confirm').click();
    await page.getByTestId('rl-tiles').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('tile-first429').locator('.tile-value').textContent()).toBe('101');
    expect(await page.getByTestId('tile-verdict').locator('.tile-value').textContent()).toBe('pass');
    expect(await page.getByTestId('tile-xff').locator('.tile-value').textContent()).toBe('no bypass');
    expect(limiter.requests).toBe(202);
    await expect.poll(() => page.locator('[data-testid="status-chart"] .recharts-scatter-symbol').count()).toBeGreaterThan(100);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'ratelimit-page.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('Cancel in the page stops a stalled run and closes every socket within 1 s', async () => {
    limiter.resetCounters();
    limiter.setMode('stall');
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Rate limit' }).click();
    await page.getByTestId('rl-url').fill(limiter.url);
    await page.getByTestId('rl-xff').uncheck();
    await page.getByTestId('rl-environment').fill('staging');
    await page.getByTestId('rl-plan').click();
    // Outside production the host must be typed back: a single click sends nothing.
    expect(await page.getByTestId('consent-confirm').isDisabled()).toBe(true);
    await page.getByTestId('consent-confirm').click({ force: true });
    await page.getByTestId('consent-typed').fill('staging');
    expect(await page.getByTestId('consent-confirm').isDisabled()).toBe(true);
    expect(limiter.requests).toBe(0);
    await page.getByTestId('consent-typed').fill(new URL(limiter.url).host);
    await page.getByTestId('consent-confirm').click();
    await page.getByTestId('run-progress').waitFor();
    await waitFor(() => limiter.openSockets === 50 && limiter.requests === 50, { what: '50 stalled requests' });
    await page.getByTestId('run-cancel').click();
    await waitFor(() => limiter.openSockets === 0, { what: 'sockets closed after Cancel' });
    await page.getByTestId('rl-tiles').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('tile-verdict').textContent()).toContain('stopped: cancelled');
    expect(limiter.requests).toBe(50);
    await page.close();
  });

  it('a bearer identity is chosen by secret reference; the token reaches the server and never the page', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Rate limit' }).click();
    await page.getByTestId('rl-url').fill(bearerLimiter.url);
    await page.getByTestId('rl-xff').uncheck();
    await page.getByTestId('rl-environment').fill('staging');
    await page.getByTestId('rl-bearer').check();
    await page.getByTestId('rl-identity-profile').fill('bearer');
    await page.getByTestId('rl-identity-environment').fill('local');
    await page.getByTestId('rl-identity-secret').fill('api_token');
    await page.getByTestId('rl-plan').click();
    await page.getByTestId('consent-dialog').waitFor();
    expect(await page.getByTestId('consent-dialog').textContent()).toContain('as a bearer token from secret "api_token" (profile bearer, environment local)');
    expect(bearerLimiter.requests).toBe(0);
    await page.getByTestId('consent-typed').fill(new URL(bearerLimiter.url).host);
    await page.getByTestId('consent-confirm').click();
    await page.getByTestId('rl-tiles').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('tile-verdict').locator('.tile-value').textContent()).toBe('pass');
    expect(bearerLimiter.requests).toBe(101);
    expect(bearerLimiter.arrivals.every((a) => a.authorization === `Bearer ${token}`)).toBe(true);
    expect(await page.content()).not.toContain(token);
    await page.close();
  });

  it('the SSE page charts open streams against DB sessions and flags the holding server', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'SSE' }).click();
    await page.getByTestId('sse-url').fill(sse.url);
    await page.getByTestId('sse-pg-url').fill(db.url);
    await page.getByTestId('sse-app-name').fill(app);
    await page.getByTestId('sse-streams').fill('10');
    await page.getByTestId('sse-seconds').fill('3');
    await page.getByTestId('sse-environment').fill('staging');
    await page.getByTestId('sse-plan').click();
    expect(await page.getByTestId('consent-count').textContent()).toBe('10');
    expect(await page.getByTestId('consent-confirm').isDisabled()).toBe(true);
    await page.getByTestId('consent-typed').fill(new URL(sse.url).host);
    await page.getByTestId('consent-confirm').click();
    await page.getByTestId('sse-tiles').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('tile-verdict').locator('.tile-value').textContent()).toBe('fail');
    expect(await page.getByTestId('tile-peak').locator('.tile-value').textContent()).toBe('10');
    await expect.poll(() => page.locator('[data-testid="sse-chart"] .recharts-line').count()).toBe(3);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'sse-page.png'), fullPage: true });
    await page.close();
  });
});
