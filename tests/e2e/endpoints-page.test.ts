import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSampleApi, type SampleApi } from '../../demo';
import { freshDatabase, sharedRedis } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';

let serve: ServeProcess;
let browser: Browser;
let api: SampleApi;

beforeAll(async () => {
  const db = await freshDatabase('e2ehttp');
  // The CORS twin, so the page has a failing check to show next to the passing ones.
  api = await startSampleApi({ pgUrl: db.url, redisUrl: sharedRedis().url, twins: { corsReflectsAnyOrigin: true } });
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await api?.close();
});

describe('Endpoints page in Chromium via preflight serve', () => {
  it('probes the sample API: checks, one row per endpoint, timeline, latency chart, masked headers and body', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1300 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Endpoints' }).click();
    await page.getByText('No API probed yet').waitFor();
    // Without presets (plain `serve`), the form names no one's origins: empty, with a neutral placeholder.
    expect(await page.getByTestId('http-origins').inputValue()).toBe('');
    expect((await page.locator('form.connect-form').innerHTML()).toLowerCase()).not.toContain('startinsight');
    await page.getByTestId('http-base-url').fill(api.url);
    // The sample API's own allowlist (StartInsight-like), typed in as a person would.
    await page.getByTestId('http-origins').fill('https://startinsight.app, https://www.startinsight.app, https://app.startinsight.app');
    await page.getByTestId('http-redis-url').fill(sharedRedis().url);
    await page.getByLabel('Probe interval').selectOption('5000');
    await page.getByTestId('http-start').click();
    await page.getByTestId('http-checks').waitFor({ timeout: 20_000 });
    const cors = page.getByTestId('http-checks').locator('tr', { hasText: 'cors.allowlist' });
    await expect.poll(() => cors.textContent()).toContain('https://evil.example was reflected');
    expect(await page.getByTestId('http-checks').locator('tr', { hasText: 'health.ready-consistent' }).textContent()).toContain('pass');
    // One row per probe request of a run: 3 health + 2 fresh request ids + echo + headers + 8 CORS (3 allowed + evil, ×2),
    // all on health paths; the webhook, the error probes and the test-error endpoint are never on a schedule.
    await expect.poll(() => page.getByTestId('table-row').count()).toBe(3 + 2 + 1 + 1 + 8);
    const table = (await page.getByTestId('endpoints-table').textContent()) ?? '';
    for (const path of ['/api/test-sentry', '/api/payments/webhook', '/api/insights']) expect(table).not.toContain(path);
    expect(await page.getByTestId('http-checks').locator('tr', { hasText: 'webhook.signature' }).textContent()).toContain('Not polled on a schedule');
    // Let a few runs land so the timeline and the chart have history.
    await expect.poll(async () => Number((await page.getByTestId('endpoints-table').locator('tr', { hasText: 'GET /health/ready' }).locator('td').last().textContent()) ?? 0), { timeout: 30_000, interval: 1000 }).toBeGreaterThanOrEqual(3);
    await page.getByTestId('endpoints-table').locator('tr', { hasText: 'GET /health/ready' }).first().click();
    await page.getByTestId('endpoint-detail').waitFor();
    expect(await page.getByTestId('status-timeline').locator('.tl-cell').count()).toBeGreaterThanOrEqual(3);
    await page.locator('[data-testid="latency-chart"] path.svg-chart-line[d^="M"]').first().waitFor({ state: 'attached' });
    expect(await page.getByTestId('endpoint-body').textContent()).toContain('"status": "ready"');
    await page.getByTestId('endpoint-detail').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'endpoints-page.png'), fullPage: true });
    // A fresh window on the watched target: the form's interval is the target's, as the header says.
    await page.reload();
    await page.getByRole('link', { name: 'Endpoints' }).click();
    await expect.poll(() => page.locator('h2', { hasText: 'Checks' }).textContent(), { timeout: 20_000 }).toContain('run every 5 s');
    expect(await page.getByLabel('Probe interval').inputValue()).toBe('5000');
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
