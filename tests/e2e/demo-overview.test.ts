/**
 * The Overview page runs profiles/demo.yaml out of the box: `preflight serve` finds it in the
 * project's profiles folder and reads the sample stack's addresses from DEMO_* (as
 * `npx preflight demo` sets them); every passive check then has evidence.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyDemoMigrations, startCacheTraffic, type CacheTraffic } from '../../demo/demo-database';
import { startDemoStack, type DemoStack } from '../../demo/stack';
import { readAudit } from '../../electron/core/audit/audit-log';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { PROJECT_ROOT } from '../harness/cli';
import { startServe, type ServeProcess } from '../harness/serve';
import { tempDir } from '../checks/fixtures';

let stack: DemoStack;
let cache: CacheTraffic;
let serve: ServeProcess;
let browser: Browser;

beforeAll(async () => {
  stack = await startDemoStack();
  await applyDemoMigrations(stack.postgres.url);
  cache = await startCacheTraffic(stack.redis.url);
  // The serve child inherits these.
  Object.assign(process.env, {
    PREFLIGHT_PROFILES_DIR: join(PROJECT_ROOT, 'profiles'),
    PREFLIGHT_DATA_DIR: tempDir('pf-e2e-demo-'),
    DEMO_API_URL: stack.api.url,
    DEMO_DATABASE_URL: stack.postgres.url,
    DEMO_REDIS_URL: stack.redis.url,
  });
  serve = await startServe(['serve']);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await cache?.stop();
  await stack?.stop();
});

describe('Overview on the demo profile', () => {
  it('runs every passive check with evidence: only the active ones and the rotation baseline stay unknown', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    await page.goto(serve.url);
    await page.click('a[href="#/overview"]');
    await page.getByLabel('Profile and environment').selectOption('demo/local');
    await page.getByTestId('rerun').click();
    await page.getByTestId('score-gauge').waitFor({ timeout: 30_000 });
    const rows = page.locator('[data-testid="check-results"] > li');
    // Every catalogue check but tls.expiry (the demo API is plain http in a dev environment).
    await expect.poll(() => rows.count()).toBe(CHECK_IDS.size - 1);
    const statuses = Object.fromEntries(
      await rows.evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-check'), /status-(\w+)/.exec(li.className)?.[1] ?? '?'])),
    ) as Record<string, string>;
    const notPassing = Object.entries(statuses).filter(([, s]) => s !== 'pass');
    // Active probes need the checkbox; secrets.rotated needs a walkthrough started first.
    expect(notPassing.sort()).toEqual([
      ['ratelimit.list-insights', 'skipped'],
      ['ratelimit.xff-bypass', 'skipped'],
      ['secrets.rotated', 'skipped'],
      ['sse.connection-hold', 'skipped'],
    ]);
    // A check without evidence shows no empty "{}" block.
    expect(await rows.and(page.locator('[data-check="secrets.rotated"]')).locator('.check-evidence').count()).toBe(0);
    expect(await rows.and(page.locator('[data-check="health.basic"]')).locator('.check-evidence').count()).toBe(1);
    // Every category's "N pts" label lies inside the chart (a full bar's "100 pts" was cut at the right edge).
    const bars = page.getByTestId('category-bars');
    const svgBox = (await bars.locator('svg.recharts-surface').boundingBox())!;
    const labels = bars.locator('.recharts-label-list text');
    expect(await labels.count()).toBe(3);
    for (const box of await labels.evaluateAll((ts) => ts.map((t) => t.getBoundingClientRect().toJSON() as { right: number; height: number }))) {
      expect(box.right).toBeLessThanOrEqual(svgBox.x + svgBox.width);
      expect(box.height).toBeLessThan(20); // one line, not "100" over "pts"
    }
    expect(await labels.allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^\d+ pts$/)]));
    // The bare index list in profiles/ is not offered as a profile (no error banner for it).
    expect(await page.getByText('startinsight-indexes cannot be used').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview-demo-profile.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('active probes: Run first shows host, endpoint and count of each probe with the host to type back; Cancel sends nothing', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(serve.url);
    await page.click('a[href="#/overview"]');
    await page.getByLabel('Profile and environment').selectOption('demo/local');
    const seenBefore = stack.api.requestsSeen();
    await page.getByTestId('allow-active').check();
    await page.getByTestId('rerun').click();
    const dialog = page.getByTestId('consent-dialog');
    await dialog.waitFor();
    const host = new URL(stack.api.url).host;
    const texts = (id: string) => dialog.getByTestId(id).allTextContents();
    // profiles/demo.yaml: limit 100 with the X-Forwarded-For check (101 twice); 5 streams (the sample API's
    // per-client stream limit) held for the one default hold of 5 s.
    expect(await texts('consent-host')).toEqual([host, host]);
    expect(await texts('consent-endpoint')).toEqual(['GET /api/insights', 'GET /api/insights/1/trend-stream']);
    expect(await texts('consent-count')).toEqual([String(2 * 101), '5']);
    expect(await texts('consent-seconds')).toEqual(['5 s']);
    expect(await dialog.textContent()).toContain('101 more, each with a forged X-Forwarded-For');
    expect(await dialog.getByTestId('consent-confirm').textContent()).toBe('Send 202 requests and open 5 streams');
    // Not production: the host must be typed back before the button enables.
    expect(await dialog.getByTestId('consent-confirm').isDisabled()).toBe(true);
    await dialog.getByTestId('consent-typed').fill('local');
    expect(await dialog.getByTestId('consent-confirm').isDisabled()).toBe(true);
    await dialog.getByTestId('consent-typed').fill('');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview-active-consent.png') });
    await dialog.getByTestId('consent-cancel').click();
    await dialog.waitFor({ state: 'detached' });
    // The page is back where it was: no run started, nothing sent, nothing audited.
    expect(await page.getByTestId('run-progress').count()).toBe(0);
    expect(await page.getByTestId('rerun').isEnabled()).toBe(true);
    expect(stack.api.requestsSeen()).toBe(seenBefore);
    expect(readAudit().filter((e) => e.action === 'ratelimit.run' || e.action === 'sse.run')).toEqual([]);
    await page.close();
  }, 60_000);

  it('active probes: with the host typed back the run sends exactly what the dialog named', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(serve.url);
    await page.click('a[href="#/overview"]');
    await page.getByLabel('Profile and environment').selectOption('demo/local');
    const before = { list: stack.api.requestsSeen('/api/insights'), streams: stack.api.requestsSeen('/api/insights/1/trend-stream') };
    await page.getByTestId('allow-active').check();
    await page.getByTestId('rerun').click();
    const dialog = page.getByTestId('consent-dialog');
    await dialog.waitFor();
    const counts = (await dialog.getByTestId('consent-count').allTextContents()).map(Number);
    await dialog.getByTestId('consent-typed').fill(new URL(stack.api.url).host);
    await dialog.getByTestId('consent-confirm').click();
    // The previous run's report shows the active checks skipped; this run's has them evaluated.
    const row = (id: string) => page.locator(`[data-testid="check-results"] > li[data-check="${id}"]`);
    await row('ratelimit.list-insights').and(page.locator(':not(.status-skipped)')).waitFor({ timeout: 60_000 });
    expect(await row('sse.connection-hold').getAttribute('class')).not.toMatch(/status-skipped/);
    expect(await page.getByText('The run failed').count()).toBe(0);
    expect(stack.api.requestsSeen('/api/insights') - before.list).toBe(counts[0]);
    expect(stack.api.requestsSeen('/api/insights/1/trend-stream') - before.streams).toBe(counts[1]);
    expect(readAudit().filter((e) => e.outcome === 'succeeded').map((e) => e.action).sort()).toEqual(['ratelimit.run', 'sse.run']);
    await page.close();
  }, 90_000);
});
