import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStartInsightSchema } from '../../demo/startinsight-schema';
import { applyMigrations, loadMigrations } from '../../electron/core/migrations';
import { freshDatabase } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';

let serve: ServeProcess;
let browser: Browser;
let url: string;
const dataDir = mkdtempSync(join(tmpdir(), 'pf-e2e-data-'));

beforeAll(async () => {
  // serve inherits this, so its audit log lands in a temp dir.
  process.env.PREFLIGHT_DATA_DIR = dataDir;
  ({ url } = await freshDatabase('e2emig'));
  await createStartInsightSchema(url, { interactions: 5_000, alembicRevision: 'b009_previous' });
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
});

describe('Migrations and Indexes pages in Chromium via preflight serve', () => {
  it('previews the plan, asks for the host (not the database name) outside production, applies with it and shows progress', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Migrations' }).click();
    await page.getByText('No target open').waitFor();
    await page.getByTestId('mig-url').fill(url);
    await page.getByTestId('mig-env').fill('staging-e2e');
    await page.getByTestId('mig-open').click();
    await page.getByTestId('migrations-table').waitFor();
    await expect.poll(() => page.getByTestId('migration-state').allTextContents()).toEqual(['pending']);
    await page.getByText('Alembic revision: b009_previous').waitFor();

    await page.getByTestId('mig-plan').click();
    await page.getByTestId('plan-preview').waitFor();
    expect(await page.getByTestId('plan-statement').count()).toBe(13);
    await page.getByText('skipped: column insights.source does not exist').waitFor();

    await page.getByTestId('mig-apply').click();
    await page.getByTestId('confirm-dialog').waitFor();
    const environment = 'staging-e2e';
    const host = new URL(url).host;
    expect(await page.getByTestId('confirm-environment').textContent()).toBe(environment);
    expect(await page.getByTestId('confirm-host').textContent()).toBe(host);
    expect(await page.getByTestId('confirm-what').textContent()).toBe(`Type the host ${host} to continue`);
    // Neither the database name nor the environment's name is what this rule asks for.
    for (const wrong of [new URL(url).pathname.slice(1), environment, 'production']) {
      await page.getByTestId('confirm-input').fill(wrong);
      expect(await page.getByTestId('confirm-apply').isDisabled()).toBe(true);
    }
    await page.getByTestId('confirm-input').fill(host);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'migrations-confirm.png'), fullPage: true });
    await page.getByTestId('confirm-apply').click();
    await page.getByTestId('run-log').waitFor();
    await page.getByText('succeeded in').waitFor({ timeout: 30_000 });
    expect(await page.locator('.run-events li.ev-statement-done').count()).toBe(11);
    await expect.poll(() => page.getByTestId('migration-state').allTextContents()).toEqual(['applied']);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'migrations-page.png'), fullPage: true });

    const audit = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.at(-1)).toMatchObject({ action: 'migrate.apply', environment, outcome: 'succeeded', details: { via: 'http' } });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('a production environment (by name) asks for its name, not the host, with the same rule as the active probes', async () => {
    const { url: prod } = await freshDatabase('e2emigprod');
    const folder = mkdtempSync(join(tmpdir(), 'mig-prod-'));
    writeFileSync(join(folder, '0001_create_users.sql'), 'CREATE TABLE users (id int);');
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Migrations' }).click();
    await page.getByTestId('mig-url').fill(prod);
    await page.getByTestId('mig-dir').fill(folder);
    // The environment is required: without it the form cannot be sent.
    expect(await page.getByTestId('mig-open').isDisabled()).toBe(true);
    await page.getByTestId('mig-env').fill('prod-eu');
    await page.getByTestId('mig-open').click();
    await expect.poll(() => page.getByTestId('migration-state').allTextContents()).toEqual(['pending']);
    await page.getByTestId('mig-plan').click();
    await page.getByTestId('plan-preview').waitFor();
    await page.getByTestId('mig-apply').click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-what').textContent()).toBe('This is a production environment. Type its name prod-eu to continue');
    await page.getByTestId('confirm-input').fill(new URL(prod).host);
    expect(await page.getByTestId('confirm-apply').isDisabled()).toBe(true);
    await page.getByTestId('confirm-input').fill('prod-eu');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'migrations-confirm-production.png'), fullPage: true });
    await page.getByTestId('confirm-apply').click();
    await page.getByText('succeeded in').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('migration-state').allTextContents()).toEqual(['applied']);
    await page.close();
  });

  it('a folder whose 0001 is another migration than the applied 0001 says which was applied and which is in the folder, not "edited"', async () => {
    const { url: other } = await freshDatabase('e2emigdiff');
    const appliedDir = mkdtempSync(join(tmpdir(), 'mig-applied-'));
    writeFileSync(join(appliedDir, '0001_create_users.sql'), 'CREATE TABLE users (id int);');
    expect((await applyMigrations(other, loadMigrations(appliedDir))).outcome).toBe('succeeded');
    const folder = mkdtempSync(join(tmpdir(), 'mig-folder-'));
    writeFileSync(join(folder, '0001_add_orders.sql'), 'CREATE TABLE orders (id int);');

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Migrations' }).click();
    await page.getByTestId('mig-url').fill(other);
    await page.getByTestId('mig-dir').fill(folder);
    await page.getByTestId('mig-env').fill('staging-e2e');
    await page.getByTestId('mig-open').click();
    await expect.poll(() => page.getByTestId('migration-state').allTextContents()).toEqual(['different migration']);
    const note = page.getByTestId('mig-mismatch');
    expect(await note.getAttribute('data-kind')).toBe('different_migration');
    const text = await note.textContent();
    expect(text).toContain('the database applied 0001_create_users.sql');
    expect(text).toContain('the folder has 0001_add_orders.sql');
    expect(text).toMatch(/at \d{4}-\d\d-\d\dT/);
    expect(await page.getByTestId('mig-mismatches').textContent()).not.toMatch(/edited/);
    await page.getByTestId('mig-plan').click();
    const failed = page.getByRole('alert').filter({ hasText: 'Migration command failed' });
    await failed.waitFor();
    const message = await failed.textContent();
    expect(message).toContain('0001: applied 0001_create_users.sql');
    expect(message).toContain('in the folder 0001_add_orders.sql');
    expect(message).not.toMatch(/edited/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'migrations-different.png'), fullPage: true });
    await page.close();
  });

  it('shows expected vs found with status chips, a reason per row, and filters by status', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Indexes' }).click();
    await page.getByText('No database checked yet').waitFor();
    await expect.poll(() => page.getByTestId('idx-yaml').inputValue()).toContain('idx_insights_source');
    await page.getByTestId('idx-url').fill(url);
    await page.getByTestId('idx-watch').click();
    await page.getByTestId('indexes-table').waitFor({ timeout: 20_000 });
    const chips = await page.getByTestId('index-status').allTextContents();
    expect(chips).toHaveLength(13);
    expect(chips.filter((c) => c === 'present')).toHaveLength(11);
    expect(chips.filter((c) => c === 'present other name')).toHaveLength(1);
    expect(chips.filter((c) => c === 'not applicable')).toHaveLength(1);
    await page.getByTestId('idx-filter-not_applicable').click();
    await expect.poll(() => page.getByTestId('table-row').count()).toBe(1);
    await page.getByText('column insights.source does not exist').waitFor();
    await page.getByTestId('idx-filter-all').click();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'indexes-page.png'), fullPage: true });
    await page.close();
  });
});
