/**
 * Pages that must never go silent or contradict themselves, driven in Chromium through
 * `preflight serve`: state and last error read on mount, bad targets said as what they are,
 * errors that end spinners, and a sessions table that shows what the tiles name.
 */
import { join } from 'node:path';
import type pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../demo/ephemeral/ports';
import type { EphemeralPostgres } from '../../demo/ephemeral/postgres';
import { closeAll, freshDatabase, openSessions, privatePostgres } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';

let serve: ServeProcess;
let browser: Browser;
let loginCluster: EphemeralPostgres;
let sessions: pg.Client[] = [];

beforeAll(async () => {
  [serve, browser, loginCluster] = await Promise.all([startServe(['serve']), launchChromium(), privatePostgres({ hbaLines: ['host all all 127.0.0.1/32 scram-sha-256'] })]);
});
afterAll(async () => {
  await closeAll(sessions);
  await browser?.close();
  await serve?.stop();
  await loginCluster?.destroy();
});

async function open(path: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${serve.url}${path}`);
  return page;
}

describe('pages read their target state on mount', () => {
  it('Indexes: an unreachable database is said within seconds, and again when the page is opened later', async () => {
    const port = await freePort();
    const page = await open('#/indexes');
    await page.getByTestId('idx-url').fill(`postgres://postgres@127.0.0.1:${port}/nowhere`);
    await expect.poll(() => page.getByTestId('idx-yaml').inputValue(), { timeout: 15_000 }).not.toBe('');
    await page.getByTestId('idx-watch').click();
    const failed = page.getByRole('alert').filter({ hasText: 'Index check failed' });
    await failed.waitFor({ timeout: 20_000 });
    expect(await failed.innerText()).toMatch(/Connection refused by postgres:\/\/postgres@127\.0\.0\.1:\d+\/nowhere/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'indexes-unreachable.png'), fullPage: true });
    // A page opened after the failure (no live event will come for 5 minutes) shows it too.
    const later = await open('#/indexes');
    await later.getByRole('alert').filter({ hasText: 'Index check failed' }).waitFor({ timeout: 20_000 });
    expect(await later.getByText('Reading the index catalog…').count()).toBe(0);
    await later.screenshot({ path: join(SCREENSHOT_DIR, 'indexes-unreachable-reopened.png'), fullPage: true });
    await page.close();
    await later.close();
  });

  it('/?token=…#/postgres lands on the Postgres page and keeps the route without the token', async () => {
    const page = await open('#/postgres');
    await page.getByRole('heading', { name: 'Postgres connection use' }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/postgres');
    expect(page.url()).not.toContain('token=');
    await page.close();
  });
});

describe('bad targets on the Postgres page', () => {
  it('a malformed URL is a form error, not a database that is down', async () => {
    const page = await open('#/postgres');
    await page.getByTestId('pg-url').fill('postgres://u:hunter2@127.0.0.1:notaport/db');
    await page.getByTestId('pg-connect').click();
    const formError = page.locator('.form-error');
    await formError.waitFor();
    expect(await formError.innerText()).toMatch(/not a valid URL: the port/);
    expect(await formError.innerText()).not.toContain('hunter2');
    expect(await page.getByText('Database down').count()).toBe(0);
    expect(await page.getByText('No database watched yet').count()).toBe(1);
    await page.close();
  });

  it('an unreachable database: "Could not list sessions" ends the sessions spinner', async () => {
    const port = await freePort();
    const page = await open('#/postgres');
    await page.getByTestId('pg-url').fill(`postgres://postgres@127.0.0.1:${port}/gone`);
    await page.getByTestId('pg-connect').click();
    await page.getByText('Could not list sessions').waitFor({ timeout: 20_000 });
    await page.getByText('Database down').waitFor({ timeout: 20_000 });
    expect(await page.getByText('Loading sessions…').count()).toBe(0);
    expect(await page.locator('.spinner').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-unreachable.png'), fullPage: true });
    await page.getByRole('button', { name: 'Stop watching' }).click();
    await page.close();
  });

  it('a wrong password stops watching and asks for new credentials; the new watch replaces it under a different fingerprint', async () => {
    const url = (pw: string) => loginCluster.url.replace('postgres://postgres@', `postgres://postgres:${pw}@`);
    const admin = (await import('pg')).default;
    // The superuser gets a password; pg_hba asks for it on TCP.
    const c = new admin.Client({ host: loginCluster.info.dir, port: loginCluster.info.port, user: 'postgres', database: 'postgres' });
    await c.connect();
    await c.query("ALTER ROLE postgres PASSWORD 'right-pw'");
    await c.end();
    const page = await open('#/postgres');
    await page.getByTestId('pg-url').fill(url('wrong-pw'));
    await page.getByLabel('Sample every').selectOption('2000');
    await page.getByTestId('pg-connect').click();
    const stopped = page.getByRole('alert').filter({ hasText: 'Authentication failed — stopped' });
    await stopped.waitFor({ timeout: 20_000 });
    expect(await stopped.innerText()).toMatch(/check the user and password.*will not retry a failed login on a schedule.*Enter new credentials/s);
    expect(await stopped.innerText()).not.toContain('wrong-pw');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-auth-failed.png'), fullPage: true });
    const failedName = await page.getByLabel('Watched database').locator('option:checked').innerText();

    await page.getByTestId('pg-url').fill(url('right-pw'));
    await page.getByTestId('pg-connect').click();
    await page.getByTestId('tile-utilisation').waitFor({ timeout: 20_000 });
    // One watcher per database identity: the stopped one is replaced, and its name carries a
    // fingerprint that differs from the failed login's, though the masked URLs are equal.
    const options = await page.getByLabel('Watched database').locator('option').allInnerTexts();
    const ours = options.filter((o) => o.includes(`127.0.0.1:${loginCluster.info.port}/postgres`));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/ · #[0-9a-f]{8}$/);
    expect(ours[0]).not.toBe(failedName);
    expect(await page.getByText('Authentication failed — stopped').count()).toBe(0);
    await page.getByRole('button', { name: 'Stop watching' }).click();
    await page.close();
  });
});

describe('the Postgres tiles and sessions table describe the same sample', () => {
  it('a lock wait named by the tiles appears in the table (blocked by) without waiting for the 15 s refresh', { timeout: 120_000 }, async () => {
    const db = await freshDatabase('e2e_locks');
    sessions = await openSessions(db.url, 2, 'e2e-lockers');
    const [holder, waiter] = sessions as [pg.Client, pg.Client];
    await holder.query('CREATE TABLE t (id int)');
    const page = await open('#/postgres');
    await page.getByTestId('pg-url').fill(db.url);
    await page.getByLabel('Sample every').selectOption('2000');
    await page.getByTestId('pg-connect').click();
    await page.getByTestId('sessions-table').waitFor({ timeout: 20_000 });
    await page.getByLabel('Filter application').fill('e2e-lockers');
    // What made the table be re-read is on the page: the trigger of the listing shown and how many the tiles caused.
    const age = page.getByTestId('sessions-age');
    await expect.poll(() => age.getAttribute('data-refreshed-by')).not.toBeNull();
    const tileRefreshesBefore = Number(await age.getAttribute('data-tile-refreshes'));

    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
    void waiter.query('SELECT * FROM t').catch(() => undefined);

    await expect.poll(() => page.getByTestId('tile-lock-waits').innerText(), { timeout: 20_000 }).toContain(`← ${holderPid}`);
    const blockedCell = page.getByTestId('table-row').filter({ hasText: 'Lock: relation' });
    await expect.poll(() => blockedCell.count(), { timeout: 30_000 }).toBe(1);
    expect(await blockedCell.innerText()).toContain(String(holderPid));
    // The lock wait the tiles named made the table be re-read (not only the 15 s timer), and the page says so.
    await expect.poll(async () => Number(await age.getAttribute('data-tile-refreshes'))).toBeGreaterThan(tileRefreshesBefore);
    expect(await age.innerText()).toMatch(/old, read (when|on) /);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'postgres-lock-wait.png'), fullPage: true });

    // Re-opened later, the form says the interval the chart is sampled at.
    const later = await open('#/postgres');
    const picker = later.getByLabel('Watched database');
    await picker.waitFor();
    const option = (await picker.locator('option').allInnerTexts()).find((o) => o.includes(db.name))!;
    await picker.selectOption({ label: option });
    await later.getByTestId('pg-tiles').waitFor({ timeout: 20_000 });
    expect(await later.getByLabel('Sample every').inputValue()).toBe('2000');
    await holder.query('ROLLBACK');
    await later.close();
    await page.close();
  });
});
