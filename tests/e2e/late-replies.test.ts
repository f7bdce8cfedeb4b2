/**
 * A reply that arrives after the user switched to another target must never show under the new
 * target's name (renderer/src/components/useCurrentTarget.ts). The late reply is made late
 * deterministically: the test holds one real reply of the first target in the browser until the
 * page has switched to the second target and shows it, then lets it through, while a
 * MutationObserver records whether the first target's data ever appears.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page, Request, Route } from 'playwright-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeAll, freshDatabase, openSessions, privatePostgres } from '../harness';
import { launchChromium } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';
import type { EphemeralPostgres } from '../../demo/ephemeral/postgres';

let serve: ServeProcess;
let browser: Browser;
const servers: Server[] = [];
let privatePg: EphemeralPostgres | undefined;
let sessions: pg.Client[] = [];

beforeAll(async () => {
  serve = await startServe(['serve']);
  browser = await launchChromium();
});
afterAll(async () => {
  await closeAll(sessions);
  await browser?.close();
  await serve?.stop();
  await privatePg?.stop();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** An API of the test that answers every request with one status. */
async function apiAnswering(status: number): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{}');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Holds the next reply of `call` for `targetId` (fetched from the real engine, then kept) until
 * release() is called. held resolves once such a request was made.
 */
async function holdNextReply(page: Page, call: string, targetId: string) {
  let markHeld!: (r: Request) => void;
  let release!: () => void;
  const held = new Promise<Request>((r) => (markHeld = r));
  const released = new Promise<void>((r) => (release = r));
  let armed = true;
  await page.route(`**/api/call/${call}`, async (route: Route) => {
    const body = route.request().postDataJSON() as { targetId?: string };
    if (!armed || body.targetId !== targetId) return route.continue();
    armed = false;
    const response = await route.fetch();
    markHeld(route.request());
    await released;
    await route.fulfill({ response });
  });
  return { held, release };
}

/** What the in-page code below uses of the page's globals (the tests compile without the DOM library). */
interface PageGlobals {
  document: { body: unknown; querySelector(s: string): { value: string } | null; querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> };
  MutationObserver: new (callback: () => void) => { observe(node: unknown, options: object): void };
  __seenWrong: string[];
}

/** Records, on every DOM change from now on, whether `selector`'s text matches `pattern` while `selectLabel` has `value` selected. */
async function watchFor(page: Page, selector: string, pattern: string, selectLabel: string, value: string) {
  await page.evaluate(
    ({ selector, pattern, selectLabel, value }) => {
      const g = globalThis as unknown as PageGlobals;
      g.__seenWrong = [];
      const check = () => {
        const select = g.document.querySelector(`select[aria-label="${selectLabel}"]`);
        const text = Array.from(g.document.querySelectorAll(selector)).map((e) => e.textContent ?? '').join(' | ');
        if (select?.value === value && new RegExp(pattern).test(text)) g.__seenWrong.push(text.slice(0, 300));
      };
      check();
      new g.MutationObserver(check).observe(g.document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    },
    { selector, pattern, selectLabel, value },
  );
}
const seenWrong = (page: Page) => page.evaluate(() => (globalThis as unknown as PageGlobals).__seenWrong);

async function optionValue(page: Page, selectLabel: string, hasText: string): Promise<string> {
  const option = page.locator(`select[aria-label="${selectLabel}"] option`, { hasText });
  await expect.poll(() => option.count()).toBe(1);
  return (await option.getAttribute('value')) ?? '';
}

describe('late replies after switching targets (Chromium via preflight serve)', () => {
  it('Endpoints: a slow http.endpoints reply of the previous API never shows under the newly selected one', async () => {
    const alpha = await apiAnswering(200);
    const beta = await apiAnswering(418);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Endpoints' }).click();
    const statuses = page.locator('[data-testid="endpoints-table"] .chip');
    for (const [url, status] of [[alpha, '200'], [beta, '418']] as const) {
      await page.getByTestId('http-base-url').fill(url);
      await page.getByLabel('Probe interval').selectOption('5000');
      await page.getByTestId('http-start').click();
      await expect.poll(() => statuses.allTextContents(), { timeout: 30_000 }).toContain(status);
    }
    const alphaId = await optionValue(page, 'Probed API', alpha.replace('http://', ''));
    const betaId = await optionValue(page, 'Probed API', beta.replace('http://', ''));
    await page.getByLabel('Probed API').selectOption(alphaId);
    await expect.poll(() => statuses.allTextContents(), { timeout: 30_000 }).toContain('200');

    // Alpha's next run makes the page ask for alpha's endpoints: that reply is held back.
    const { held, release } = await holdNextReply(page, 'http.endpoints', alphaId);
    const late = await held;
    await page.getByLabel('Probed API').selectOption(betaId);
    await expect.poll(() => statuses.allTextContents(), { timeout: 30_000 }).toContain('418');
    await watchFor(page, '[data-testid="endpoints-table"] .chip', '\\b200\\b', 'Probed API', betaId);
    const runsBefore = await page.getByTestId('endpoints-table').locator('tbody tr').first().locator('td').last().textContent();
    const lateDone = page.waitForEvent('requestfinished', (r) => r === late);
    release();
    await lateDone;
    // Beta's next run (5 s later) renders after the late reply was handled.
    await expect
      .poll(async () => page.getByTestId('endpoints-table').locator('tbody tr').first().locator('td').last().textContent(), { timeout: 30_000 })
      .not.toBe(runsBefore);
    expect(await seenWrong(page)).toEqual([]);
    expect(await statuses.allTextContents()).not.toContain('200');
    await page.close();
  });

  it('Postgres: a slow sessions listing of the previous database never shows under the newly selected one', async () => {
    privatePg = await privatePostgres();
    const beta = await freshDatabase('e2elatebeta');
    sessions = [...(await openSessions(privatePg.url, 2, 'late-alpha-app')), ...(await openSessions(beta.url, 2, 'late-beta-app'))];
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(serve.url);
    await page.getByRole('link', { name: 'Postgres' }).click();
    const table = page.getByTestId('sessions-table');
    for (const [url, app] of [[privatePg.url, 'late-alpha-app'], [beta.url, 'late-beta-app']] as const) {
      await page.getByTestId('pg-url').fill(url);
      await page.getByLabel('Sample every').selectOption('2000');
      await page.getByTestId('pg-connect').click();
      await expect.poll(async () => (await table.count()) && table.textContent(), { timeout: 30_000 }).toContain(app);
    }
    const picker = page.getByLabel('Watched database');
    const values = await picker.locator('option').evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
    const betaId = await picker.inputValue();
    const alphaId = values.find((v) => v !== betaId) ?? '';
    expect(values).toHaveLength(2);
    await picker.selectOption(alphaId);
    await expect.poll(async () => (await table.count()) && table.textContent(), { timeout: 30_000 }).toContain('late-alpha-app');

    const { held, release } = await holdNextReply(page, 'pg.sessions', alphaId);
    await page.getByTestId('pg-sessions-refresh').click();
    const late = await held;
    await picker.selectOption(betaId);
    await expect.poll(async () => (await table.count()) && table.textContent(), { timeout: 30_000 }).toContain('late-beta-app');
    await watchFor(page, '[data-testid="sessions-table"]', 'late-alpha-app', 'Watched database', betaId);
    const lateDone = page.waitForEvent('requestfinished', (r) => r === late);
    release();
    await lateDone;
    // A listing of beta asked for after the late one arrived: rendered after it was handled.
    const next = page.waitForResponse((r) => r.url().endsWith('/api/call/pg.sessions') && (r.request().postDataJSON() as { targetId: string }).targetId === betaId);
    await page.getByTestId('pg-sessions-refresh').click();
    await next;
    await expect.poll(() => page.getByTestId('sessions-age').getAttribute('data-refreshed-by')).toBe('request');
    expect(await seenWrong(page)).toEqual([]);
    expect(await table.textContent()).not.toContain('late-alpha-app');
    await page.close();
  });
});
