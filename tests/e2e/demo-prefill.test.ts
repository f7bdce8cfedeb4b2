/**
 * `preflight demo` prefills every page for the demo stack (issue 11): Indexes checks the demo
 * database against profiles/demo.yaml's expectations (not StartInsight's 13), Migrations has
 * the demo/migrations folder open, and the Rate limit and SSE forms open on the demo API's
 * endpoints — filled in, never run (active probes still need consent). Required fields say so:
 * a visible mark and aria-required.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { PROJECT_ROOT } from '../harness/cli';
import { startServe, type ServeProcess } from '../harness/serve';

let demo: ServeProcess;
let browser: Browser;
let apiUrl: string;

beforeAll(async () => {
  // initdb, redis-server and the API start under the test machine's load: allow minutes.
  demo = await startServe(['demo'], 300_000);
  apiUrl = /export DEMO_API_URL='([^']+)'/.exec(demo.stderr())![1]!;
  browser = await launchChromium();
}, 420_000);

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});

async function open(hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(demo.url);
  await page.click(`a[href="${hash}"]`);
  return page;
}

describe('preflight demo prefills every page', () => {
  it('Indexes: the demo database against the demo profile’s expected indexes, present', async () => {
    const page = await open('#/indexes');
    const statuses = page.getByTestId('index-status');
    await expect.poll(() => statuses.count(), { timeout: 60_000 }).toBe(1);
    expect(await statuses.allInnerTexts()).toEqual(['present']);
    await expect.poll(() => page.locator('table').first().innerText()).toContain('idx_insights_created_at');
    // The form offers the demo's list too, not profiles/startinsight-indexes.yaml.
    await expect.poll(() => page.getByTestId('idx-yaml').inputValue()).toContain('idx_insights_created_at');
    expect(await page.getByTestId('idx-yaml').inputValue()).not.toContain('idx_users_email');
    expect(await page.getByTestId('idx-url').getAttribute('aria-required')).toBe('true');
    expect(await page.locator('label', { has: page.getByTestId('idx-url') }).locator('.required-mark').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'demo-prefill-indexes.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('Migrations: the demo/migrations folder is open on the demo database, its file applied', async () => {
    const page = await open('#/migrations');
    const states = page.getByTestId('migration-state');
    await expect.poll(() => states.count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('body').innerText()).toContain('demo_indexes');
    expect(await states.allInnerTexts()).toEqual(['applied']);
    expect(await page.getByTestId('mig-dir').inputValue()).toBe(join(PROJECT_ROOT, 'demo', 'migrations'));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'demo-prefill-migrations.png'), fullPage: true });
    await page.close();
  }, 120_000);

  it('Rate limit: the form opens on the demo API’s list endpoint, limit and environment from the profile; nothing is sent', async () => {
    const page = await open('#/ratelimit');
    await expect.poll(() => page.getByTestId('rl-url').inputValue(), { timeout: 30_000 }).toBe(`${apiUrl}/api/insights`);
    expect(await page.getByTestId('rl-limit').inputValue()).toBe('100');
    expect(await page.getByTestId('rl-window').inputValue()).toBe('60');
    expect(await page.getByTestId('rl-environment').inputValue()).toBe('local');
    expect(await page.getByTestId('rl-xff').isChecked()).toBe(true);
    expect(await page.getByTestId('rl-preset-source').innerText()).toContain('demo.yaml');
    // Required, visibly and for assistive technology.
    expect(await page.getByTestId('rl-environment').getAttribute('aria-required')).toBe('true');
    const envLabel = page.locator('label', { has: page.getByTestId('rl-environment') });
    expect(await envLabel.locator('.required-mark').count()).toBe(1);
    expect(await page.getByText('No run yet').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'demo-prefill-ratelimit.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('Endpoints: the probe form opens on the demo API and demo.yaml’s CORS allowlist', async () => {
    const profile = parse(readFileSync(join(PROJECT_ROOT, 'profiles', 'demo.yaml'), 'utf8')) as { expectations: { http: { cors: { allowedOrigins: string[] } } } };
    const expected = profile.expectations.http.cors.allowedOrigins;
    expect(expected.length).toBeGreaterThan(0);
    const page = await open('#/endpoints');
    await expect.poll(() => page.getByTestId('http-base-url').inputValue(), { timeout: 30_000 }).toBe(apiUrl);
    const origins = (await page.getByTestId('http-origins').inputValue()).split(/[\s,]+/).filter(Boolean);
    expect(origins).toEqual(expected);
    expect(await page.getByTestId('http-preset-source').innerText()).toContain('demo.yaml');
    // The demo watches its API: the form's interval is that target's, as the header above it says.
    const header = page.locator('h2', { hasText: 'Checks' });
    await expect.poll(() => header.count(), { timeout: 30_000 }).toBe(1);
    const every = Number(/run every (\d+(?:\.\d+)?) s/.exec((await header.textContent()) ?? '')?.[1]);
    expect(await page.getByLabel('Probe interval').inputValue()).toBe(String(every * 1000));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'demo-prefill-endpoints.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('SSE: the form opens on the demo stream and database with the profile’s streams and app name', async () => {
    const page = await open('#/sse');
    await expect.poll(() => page.getByTestId('sse-url').inputValue(), { timeout: 30_000 }).toBe(`${apiUrl}/api/insights/1/trend-stream`);
    expect(await page.getByTestId('sse-pg-url').inputValue()).toMatch(/^postgres(ql)?:\/\//);
    expect(await page.getByTestId('sse-streams').inputValue()).toBe('5');
    expect(await page.getByTestId('sse-app-name').inputValue()).toBe('startinsight-api');
    expect(await page.getByTestId('sse-environment').inputValue()).toBe('local');
    expect(await page.getByTestId('sse-environment').getAttribute('aria-required')).toBe('true');
    expect(await page.locator('label', { has: page.getByTestId('sse-environment') }).locator('.required-mark').count()).toBe(1);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'demo-prefill-sse.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
