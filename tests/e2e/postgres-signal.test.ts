/**
 * The sessions table's cancel / terminate in Chromium via `preflight serve`: the dialog names the
 * pid, application and environment, the button stays disabled until the host is typed, and the
 * effect is read from pg_stat_activity by the test's own superuser session.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, freshDatabase, openSessions, waitFor } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';

const dataDir = mkdtempSync(join(tmpdir(), 'pf-e2e-signal-'));
let serve: ServeProcess;
let browser: Browser;
let admin: pg.Client;
let victims: pg.Client[] = [];

beforeAll(async () => {
  process.env.PREFLIGHT_DATA_DIR = dataDir;
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  await closeAll(victims);
  await admin?.end();
  await browser?.close();
  await serve?.stop();
});

describe('cancel and terminate from the Postgres sessions table', () => {
  it('cancels a running query and terminates an idle-in-transaction session after the host is typed', async () => {
    const db = await freshDatabase('e2esig');
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    const [sleeper] = (victims = await openSessions(db.url, 1, 'e2e-sleeper'));
    const [stuck] = await openSessions(db.url, 1, 'e2e-stuck');
    victims.push(stuck!);
    const pidOf = async (c: pg.Client) => (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const sleeperPid = await pidOf(sleeper!);
    const stuckPid = await pidOf(stuck!);
    const sleeping = sleeper!.query('SELECT pg_sleep(300)').catch((err: { code?: string }) => err.code);
    await stuck!.query('BEGIN; SELECT 1');
    const stateOf = async (pid: number) => (await admin.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [pid])).rows[0]?.state ?? 'gone';
    await waitFor(async () => (await stateOf(sleeperPid)) === 'active', { what: 'the sleep to run' });

    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Postgres' }).click();
    await page.getByTestId('pg-url').fill(db.url);
    await page.getByTestId('pg-connect').click();
    await page.getByTestId('sessions-table').waitFor();
    await page.getByLabel('Filter application').fill('e2e-sleeper');
    await expect.poll(() => page.getByTestId('table-row').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('table-row').first().click();
    await page.getByTestId('session-cancel').click();
    const dialog = page.getByTestId('signal-dialog');
    await dialog.waitFor();
    expect(await page.getByTestId('signal-pid').innerText()).toBe(String(sleeperPid));
    expect(await page.getByTestId('signal-application').innerText()).toBe('e2e-sleeper');
    expect(await page.getByTestId('signal-environment').innerText()).toContain(db.name);
    const host = new URL(db.url).host;
    expect(await dialog.innerText()).toContain(host);
    // A click alone does nothing: the button waits for the host typed exactly.
    expect(await page.getByTestId('signal-confirm').isDisabled()).toBe(true);
    await page.getByTestId('signal-confirm-input').fill('localhost');
    expect(await page.getByTestId('signal-confirm').isDisabled()).toBe(true);
    await page.getByTestId('signal-confirm-input').fill(host);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-cancel-dialog.png'), fullPage: true });
    await page.getByTestId('signal-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('session-signal-notice').innerText()).toContain(`pid ${sleeperPid}`);
    expect(await sleeping).toBe('57014');
    await waitFor(async () => (await stateOf(sleeperPid)) === 'idle', { what: 'the cancelled session to be idle' });

    // Terminate the idle-in-transaction session; "Keep it" first closes the dialog without a signal.
    await page.getByLabel('Filter application').fill('e2e-stuck');
    await expect.poll(() => page.getByTestId('table-row').count(), { timeout: 15_000 }).toBe(1);
    await page.getByTestId('table-row').first().click();
    await page.getByTestId('session-terminate').click();
    await dialog.waitFor();
    await page.getByTestId('signal-close').click();
    await dialog.waitFor({ state: 'detached' });
    expect(await stateOf(stuckPid)).toBe('idle in transaction');
    await page.getByTestId('session-terminate').click();
    await page.getByTestId('signal-confirm-input').fill(host);
    await page.getByTestId('signal-confirm').click();
    await waitFor(async () => (await stateOf(stuckPid)) === 'gone', { what: 'the terminated session to be gone' });
    await expect.poll(() => page.getByTestId('session-signal-notice').innerText()).toContain(`terminate the session of pid ${stuckPid}`);
    await expect.poll(() => page.getByTestId('table-row').count(), { timeout: 15_000 }).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-terminated.png'), fullPage: true });

    const audit = readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string; details: { pid: number; via: string } });
    expect(audit.filter((e) => e.outcome === 'succeeded').map((e) => [e.action, e.details.pid, e.details.via])).toEqual([
      ['pg.cancel-backend', sleeperPid, 'http'],
      ['pg.terminate-backend', stuckPid, 'http'],
    ]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 180_000);
});
