import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedPostgres } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';
import { envText, profileYaml, tempDir, writeTree } from '../checks/fixtures';

let serve: ServeProcess;
let browser: Browser;
const dir = tempDir('pf-e2e-');
const envFile = join(dir, 'backend.env');

const CHECKLIST = `checklist:
  phases:
    - id: pre-deploy
      title: Pre-deploy
      steps:
        - { id: env-ready, title: Backend variables set, checks: [env.required, env.secret-strength] }
        - { id: tests-pass, title: Tests pass locally, manual: true }
    - id: deploy
      title: Deploy
      steps:
        - { id: approve, title: Change approved, manual: true }`;

beforeAll(async () => {
  writeFileSync(envFile, envText({ ENVIRONMENT: 'staging' }));
  writeTree(join(dir, 'repo'), { 'frontend/app/a.tsx': 'export const a = 1;\n' });
  writeTree(join(dir, 'profiles'), { 'shop.yaml': profileYaml({ envFile: '../backend.env', repo: '../repo', checklist: CHECKLIST }) });
  // The serve child inherits these: its own profiles folder, data dir and database secret.
  process.env.PREFLIGHT_PROFILES_DIR = join(dir, 'profiles');
  process.env.PREFLIGHT_DATA_DIR = tempDir('pf-e2e-data-');
  process.env.TEST_DATABASE_URL = sharedPostgres().url;
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

/** The client drops the token from the address bar on load, so pages are reached through the sidebar. */
async function open(page: import('playwright-core').Page, id: string) {
  await page.goto(serve.url);
  await page.click(`a[href="#/${id}"]`);
}

describe('Overview and Checklist pages in Chromium via preflight serve', () => {
  it('runs the checks, shows the gauge, failing checks first with their fix, and the change after a re-run', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await open(page, 'overview');
    await page.getByText('No run stored for this profile and environment').waitFor();
    await page.getByTestId('rerun').click();
    await page.getByTestId('score-gauge').waitFor({ timeout: 30_000 });
    const first = page.locator('[data-testid="check-results"] > li').first();
    expect(await first.getAttribute('data-check')).toBe('env.required');
    expect(await first.getAttribute('class')).toContain('status-fail');
    await expect.poll(() => first.innerText()).toContain('Verifies the fix');
    expect(await page.getByTestId('score-gauge').innerText()).toContain('NOT READY');
    expect(await page.getByTestId('score-change').innerText()).toContain('First run');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview-not-ready.png'), fullPage: true });

    writeFileSync(envFile, envText());
    await page.getByTestId('rerun').click();
    await expect.poll(() => page.getByTestId('score-change').innerText(), { timeout: 30_000 }).toMatch(/\d+ → \d+/);
    expect(await page.getByTestId('score-change').innerText()).toContain('env.required fail→pass');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview-after-fix.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('starts a walkthrough, ticks the automated step from a fresh run and records a sign-off', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await open(page, 'checklist');
    await page.getByTestId('start-walkthrough').click();
    await page.getByTestId('journal-intact').waitFor();
    expect(await page.locator('[data-step="env-ready"]').innerText()).toContain('pending');

    await page.click('a[href="#/overview"]');
    // The previous test's run is on screen; wait for this run's result to replace it.
    const change = page.getByTestId('score-change');
    await change.waitFor();
    const before = await change.innerText();
    await page.getByTestId('rerun').click();
    await expect.poll(() => change.innerText(), { timeout: 30_000 }).not.toBe(before);
    await page.click('a[href="#/checklist"]');
    await expect.poll(() => page.locator('[data-step="env-ready"] .chip').innerText(), { timeout: 10_000 }).toBe('done');

    const manual = page.locator('[data-step="tests-pass"]');
    await manual.getByLabel('Your name').fill('Ana Lima');
    await manual.getByLabel('Note').fill('CI green');
    await manual.getByRole('button', { name: 'Sign off' }).click();
    await expect.poll(() => manual.innerText()).toContain('Signed off by Ana Lima');
    expect(await page.locator('[data-step="approve"]').innerText()).toContain('phase not started');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'checklist.png'), fullPage: true });
    await page.close();
  });
});
