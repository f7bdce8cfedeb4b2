import type { Redis } from 'ioredis';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EphemeralRedis } from '../../demo/ephemeral/redis';
import { privateRedis } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { lookups, seedKeys, trafficClient } from '../harness/redis-traffic';
import { startServe, type ServeProcess } from '../harness/serve';

let serve: ServeProcess;
let browser: Browser;
let redis: EphemeralRedis;
let app: Redis;
let traffic: NodeJS.Timeout | undefined;

beforeAll(async () => {
  // Private: the test drives its own cache traffic and sets maxmemory.
  redis = await privateRedis({ args: ['--maxmemory', '64mb'] });
  app = await trafficClient(redis.url);
  await seedKeys(app, 'k', 100);
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  if (traffic) clearInterval(traffic);
  app?.disconnect();
  await browser?.close();
  await serve?.stop();
  await redis?.destroy();
});

describe('Redis page in Chromium via preflight serve', () => {
  it('shows the hit-rate chart with its threshold and lookups per point, memory and clients charts, tiles and checks', async () => {
    // The app's traffic: 90 % hits at first, then 60 %, so the line crosses the 80 % threshold.
    let round = 0;
    traffic = setInterval(() => {
      round++;
      void lookups(app, 'k', round < 30 ? 45 : 30, round < 30 ? 5 : 20).catch(() => undefined);
    }, 200);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1250 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Redis' }).click();
    await page.getByText('No Redis watched yet').waitFor();
    await page.getByTestId('redis-url').fill(redis.url);
    await page.getByTestId('redis-interval').selectOption('2000');
    await page.getByTestId('redis-connect').click();
    await page.getByTestId('redis-tiles').waitFor();
    // Wait for enough windows to draw a line.
    await expect.poll(() => page.locator('[data-testid="hit-rate-chart"] circle.svg-chart-dot').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(6);
    await expect.poll(async () => (await page.getByTestId('tile-hit-rate').innerText()).includes('lookups'), { timeout: 10_000 }).toBe(true);
    const tile = await page.getByTestId('tile-hit-rate').innerText();
    expect(tile).toMatch(/\d+\.\d %/);
    expect(await page.getByTestId('tile-version').innerText()).toMatch(/7\.\d+\.\d+/);
    expect(await page.getByTestId('tile-memory').innerText()).toMatch(/of maxmemory 64\.0 MiB/);
    expect(await page.getByTestId('hit-rate-chart').innerText()).toContain('threshold 80 %');
    expect(await page.getByTestId('memory-chart').innerText()).toContain('maxmemory 64 MiB');
    await page.getByTestId('check-redis.hit-rate').waitFor();
    expect(await page.getByTestId('redis-checks').innerText()).toMatch(/cache hit rate/i);
    // A flat line has an empty box, so count the drawn curves rather than wait for visibility.
    await expect.poll(() => page.locator('[data-testid="clients-chart"] path.svg-chart-step[d^="M"]').count(), { timeout: 10_000 }).toBe(2);
    await expect.poll(() => page.locator('[data-testid="memory-chart"] path.svg-chart-area[d^="M"]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    // Hover the middle of the hit-rate chart: the tooltip names the lookups behind the point.
    const box = (await page.locator('[data-testid="hit-rate-chart"] svg').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
    const tooltip = page.getByTestId('hit-rate-tooltip');
    await tooltip.waitFor({ timeout: 10_000 });
    expect(await tooltip.innerText()).toMatch(/\d+ lookups in \d+\.\d s/);
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'redis-page.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
