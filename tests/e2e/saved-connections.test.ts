/**
 * Saved connections in Chromium. `preflight serve` has no OS keychain, so saving is refused
 * there, with the reason, and the "save" box is off. The desktop app's safeStorage cannot run
 * without Electron, so the save / pick / forget flow is driven against the same engine and HTTP
 * bridge with a keychain stand-in that reports Linux's basic_text backend (no keyring): the
 * refusal, the typed opt-in for this machine, then save, watch a saved one, forget. A planted
 * password is never found in the page, in any answer the page received, or in plaintext on disk.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/core/api/engine';
import { dataDir } from '../../electron/core/util/data-dir';
import { startBridge, type RunningBridge } from '../../electron/server/http-bridge';
import { RENDERER_DIST } from '../../electron/server/renderer-build';
import { BASIC_TEXT_CONSENT } from '../../shared/contracts/connections';
import { fakeKeychain } from '../connections/fake-cipher';
import { freshDatabase, sharedPostgres, sharedRedis } from '../harness';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { startServe, type ServeProcess } from '../harness/serve';

const CANARY = `ui-canary-${Math.random().toString(36).slice(2)}-Xy7`;
const role = `ui_canary_${Math.random().toString(36).slice(2, 8)}`;
let browser: Browser;
let engine: Engine;
let bridge: RunningBridge;
let serve: ServeProcess | undefined;

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: sharedPostgres().url });
  await admin.connect();
  await admin.query(`CREATE ROLE ${role} LOGIN PASSWORD '${CANARY}'`);
  await admin.end();
  engine = createEngine({ transport: 'http', version: 'test', secretCipher: fakeKeychain({ backend: 'basic_text', weak: true }) });
  bridge = await startBridge({ engine, rendererDir: RENDERER_DIST });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await serve?.stop();
  await bridge?.close();
  await engine?.close();
});

/** Every answer the page received from the API, to search for the canary. */
function recordAnswers(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', (res) => {
    if (res.url().includes('/api/call/')) void res.text().then((t) => bodies.push(t), () => undefined);
  });
  return bodies;
}

describe('saved connections in Chromium', () => {
  it('under preflight serve (no keychain): saving is off and the page says why', async () => {
    serve = await startServe(['serve']);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${serve.url}#/postgres`);
    const status = page.getByTestId('keychain-status');
    await status.waitFor();
    expect(await status.innerText()).toMatch(/Saving is off\.\s+Saving connections needs the desktop app/);
    expect(await page.getByTestId('pg-remember').isDisabled()).toBe(true);
    expect(await page.getByTestId('basic-text-open').count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'saved-connections-refused.png') });
    await page.close();
  });

  it('with basic_text: refused until accepted for this machine, then save, watch a saved one, forget it', async () => {
    const db = await freshDatabase('saved_ui');
    const url = new URL(db.url);
    url.username = role;
    url.password = CANARY;
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const answers = recordAnswers(page);
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${bridge.url}#/postgres`);

    // Refused, with the reason and the opt-in.
    const status = page.getByTestId('keychain-status');
    await expect.poll(async () => status.innerText(), { timeout: 15_000 }).toMatch(/basic_text backend/);
    expect(await page.getByTestId('pg-remember').isDisabled()).toBe(true);
    await page.getByTestId('basic-text-open').click();
    const accept = page.getByTestId('basic-text-accept');
    expect(await accept.isDisabled()).toBe(true);
    await page.getByTestId('basic-text-input').fill('yes');
    expect(await accept.isDisabled()).toBe(true);
    await page.getByTestId('basic-text-input').fill(BASIC_TEXT_CONSENT);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'saved-connections-basic-text.png') });
    await accept.click();
    await expect.poll(async () => status.innerText(), { timeout: 10_000 }).toMatch(/encrypted by the OS keychain \(basic_text, accepted without a keyring on this machine\)/);

    // Watch and save under the chosen profile / environment.
    await page.getByTestId('pg-url').fill(url.href);
    expect(await page.getByTestId('pg-url').getAttribute('type')).toBe('password');
    await page.getByTestId('pg-remember').check();
    await page.getByTestId('pg-label').fill('primary (canary role)');
    await page.getByTestId('pg-connect').click();
    await page.getByTestId('pg-tiles').waitFor({ timeout: 30_000 });
    const row = page.getByTestId('saved-connection');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    const shown = await row.innerText();
    expect(shown).toContain('primary (canary role)');
    expect(shown).toContain(`${role}:*****@`);
    expect(await page.getByTestId('pg-url').inputValue()).toBe('');

    // Another page load: still saved; stop watching, then watch it again from the saved list.
    await page.reload();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Stop watching' }).click();
    await page.getByText('No database watched yet').waitFor();
    // The form's budget applies to the saved connection too; the watch is named after its environment.
    await page.getByTestId('pg-budget').fill('50');
    await page.getByTestId('saved-watch').click();
    await page.getByTestId('pg-tiles').waitFor({ timeout: 30_000 });
    expect(await page.getByLabel('Watched database').innerText()).toContain(db.name);
    await expect.poll(() => page.getByTestId('tile-utilisation').innerText(), { timeout: 15_000 }).toContain('of budget 50');
    const targets = (await (await fetch(`http://127.0.0.1:${bridge.port}/api/call/pg.targets`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-preflight-token': bridge.token }, body: '{}' })).json()) as { result: { budget: number; environment: string }[] };
    expect(targets.result).toEqual([expect.objectContaining({ budget: 50, environment: 'production' })]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'saved-connections.png'), fullPage: true });

    // The Redis page has its own list (kind), with the same keychain state.
    await page.goto(`${bridge.url}#/redis`);
    await page.getByTestId('redis-saved').waitFor();
    expect(await page.getByTestId('redis-saved').getByTestId('saved-connection').count()).toBe(0);
    const redisUrl = new URL(sharedRedis().url);
    await page.getByTestId('redis-url').fill(redisUrl.href);
    await page.getByTestId('redis-remember').check();
    await page.getByTestId('redis-connect').click();
    await expect.poll(() => page.getByTestId('redis-saved').getByTestId('saved-connection').count(), { timeout: 15_000 }).toBe(1);

    // Forget asks first, in the page; then the entry is gone from the list and the file.
    await page.goto(`${bridge.url}#/postgres`);
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await page.getByTestId('saved-forget').click();
    await page.getByTestId('saved-forget-confirm').click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
    const file = readFileSync(join(dataDir(), 'connections.json'), 'utf8');
    expect(file).not.toContain(role);
    expect(file).toContain('"kind": "redis"');

    expect(await page.content()).not.toContain(CANARY);
    expect(answers.length).toBeGreaterThan(5);
    expect(answers.join('\n')).not.toContain(CANARY);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
