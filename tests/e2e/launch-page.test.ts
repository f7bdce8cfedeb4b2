/**
 * The Launch page in Chromium via `preflight serve`: start a watch of the sample stack, see the
 * targets, charts and alert count, fire an alert (the twin that throws), add a deploy marker,
 * switch ranges, stop it behind an in-app confirmation.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';
import { startWatchStack, type WatchStack } from '../watch/helpers';

let serve: ServeProcess;
let browser: Browser;
let stack: WatchStack;

beforeAll(async () => {
  stack = await startWatchStack();
  // The served engine finds the profile and resolves its secrets from its environment.
  Object.assign(process.env, { PREFLIGHT_PROFILES_DIR: stack.dir, WATCH_DATABASE_URL: stack.env.WATCH_DATABASE_URL, WATCH_REDIS_URL: stack.env.WATCH_REDIS_URL, WATCH_SENTRY_TOKEN: stack.env.WATCH_SENTRY_TOKEN });
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await stack?.stop();
});

describe('Launch page in Chromium via preflight serve', () => {
  it('starts a watch, shows targets, charts and alerts, takes a marker, stops behind a confirmation', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1400 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Launch' }).click();
    await page.getByLabel('Profile and environment').selectOption({ label: 'watched / local (dev)' });
    await page.getByText('No launch watch yet').waitFor();
    // Keeping the machine awake is the desktop app's (Electron's power-save blocker): not offered here.
    expect(await page.getByTestId('launch-keep-awake').count()).toBe(0);
    await page.getByLabel('Watch duration').selectOption({ label: '1 h' });
    await page.getByTestId('launch-start').click();
    await expect.poll(() => page.getByTestId('launch-state').textContent(), { timeout: 30_000 }).toBe('running');
    // The first 'running' status can come before the targets' first samples: poll, do not read once.
    await expect.poll(() => page.getByTestId('launch-targets').textContent(), { timeout: 30_000 }).toMatch(/postgres up[\s\S]*redis up[\s\S]*api up/);
    await page.getByTestId('launch-chart-pg.connections').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('launch-alert-count').textContent()).toBe('0 firing');

    stack.api.twins.healthThrows = true;
    await expect.poll(() => page.getByTestId('launch-alert-count').textContent(), { timeout: 60_000, interval: 1000 }).not.toBe('0 firing');
    await expect.poll(() => page.getByTestId('launch-timeline').textContent(), { timeout: 30_000 }).toMatch(/FIRING (http-5xx|sentry-errors)/);
    stack.api.twins.healthThrows = false;

    await page.getByLabel('Marker label').fill('deployed v1.4');
    await page.getByRole('button', { name: 'Add deploy marker' }).click();
    await expect.poll(() => page.locator('.launch-marker').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await page.getByTestId('launch-range-15m').click();
    await expect.poll(() => page.getByTestId('launch-range-15m').getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'launch-page.png'), fullPage: true });

    await page.getByTestId('launch-stop').click();
    await page.getByRole('dialog', { name: 'Stop the watch' }).waitFor();
    await page.getByTestId('launch-stop-confirm').click();
    await expect.poll(() => page.getByTestId('launch-state').textContent(), { timeout: 30_000 }).toBe('stopped');
    await page.getByTestId('launch-resume').waitFor();
    expect(consoleErrors).toEqual([]);
  });
});
