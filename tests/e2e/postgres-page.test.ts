import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, freshDatabase, openSessions, privatePostgres } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';
import type pg from 'pg';

let serve: ServeProcess;
let browser: Browser;
let sessions: pg.Client[] = [];

beforeAll(async () => {
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  await closeAll(sessions);
  await browser?.close();
  await serve?.stop();
});

describe('Postgres page in Chromium via preflight serve', () => {
  it('refuses the API without the token', async () => {
    const res = await fetch(`${serve.origin}/api/call/pg.targets`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('shows the chart, the tiles and one table row per session of a known database', async () => {
    const db = await freshDatabase('e2e');
    sessions = await openSessions(db.url, 5, 'e2e-known-app');
    await sessions[0]!.query('BEGIN');
    await sessions[0]!.query("SELECT 'e2e marker', 'E2eRevealPw1' AS pw");
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Postgres' }).click();
    await page.getByText('No database watched yet').waitFor();
    await page.getByTestId('pg-url').fill(db.url);
    await page.getByTestId('pg-budget').fill('50');
    await page.getByLabel('Sample every').selectOption('2000');
    await page.getByTestId('pg-connect').click();
    await page.getByTestId('pg-tiles').waitFor();
    await page.getByTestId('sessions-table').waitFor();
    // Filter the table by our application: exactly the five sessions we opened.
    await page.getByLabel('Filter application').fill('e2e-known-app');
    await expect.poll(() => page.getByTestId('table-row').count(), { timeout: 15_000 }).toBe(5);
    await expect.poll(() => page.locator('[data-testid="connections-chart"] path.svg-chart-band[d^="M"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    // At least three samples (2 s apart) so the chart draws a span, then look at it.
    await page.locator('[data-testid="connections-chart"] path[data-series="idle"][d^="M"]').waitFor({ state: 'attached' });
    await expect
      .poll(async () => Number(/last ([0-9.]+) min/.exec((await page.locator('h2').first().textContent()) ?? '')?.[1] ?? 0), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(0.06);
    // Query text is normalised: the literals are placeholders, in the table and in the detail.
    await page.getByText('SELECT $1, $2 AS pw').first().click();
    await page.locator('.query-detail').waitFor();
    expect(await page.getByTestId('session-query').innerText()).toBe('SELECT $1, $2 AS pw');
    expect(await page.content()).not.toContain('E2eRevealPw1');
    expect(page.url()).not.toContain('token=');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-session-normalised.png'), fullPage: true });
    // The raw text only on an explicit reveal of that one row, and hidden again on request.
    await page.getByTestId('session-raw-reveal').click();
    await page.getByTestId('session-raw-query').waitFor();
    expect(await page.getByTestId('session-raw-query').innerText()).toContain("SELECT 'e2e marker', 'E2eRevealPw1' AS pw");
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-session-revealed.png'), fullPage: true });
    await page.getByTestId('session-raw-hide').click();
    await page.getByTestId('session-raw-query').waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain('E2eRevealPw1');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-page.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it('says "Database down" when the database stops and recovers by itself when it is back', async () => {
    const pgOwn = await privatePostgres();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    try {
      await page.goto(serve.url);
      await page.getByRole('link', { name: 'Postgres' }).click();
      await page.getByTestId('pg-url').fill(pgOwn.url);
      await page.getByLabel('Sample every').selectOption('2000');
      await page.getByTestId('pg-connect').click();
      // The test above left its database watched, and the page opens on it with its tiles: wait
      // until this database is the one selected, then for its own first sample, before stopping it.
      await expect
        .poll(async () => (await page.getByLabel('Watched database').locator('option:checked').textContent()) ?? '', { timeout: 15_000 })
        .toContain(`:${pgOwn.info.port}/`);
      const utilisation = page.getByTestId('tile-utilisation');
      await utilisation.waitFor();
      await pgOwn.stop();
      await page.getByText('Database down').waitFor({ timeout: 20_000 });
      expect(await page.getByRole('alert').first().innerText()).toMatch(/retrying every 2 s\. The figures below are from the last good sample, at \d\d:\d\d:\d\d/);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-page-down.png'), fullPage: true });
      await pgOwn.start();
      await page.getByText('Database down').waitFor({ state: 'detached', timeout: 30_000 });
      await utilisation.waitFor();
    } finally {
      await page.close();
      await pgOwn.destroy();
    }
  });
});
