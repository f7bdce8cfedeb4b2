/**
 * Renderer crashes reach Sentry through main: the real UI in Chromium throws (an uncaught error
 * and an unhandled rejection, each quoting a credential); the renderer forwards them over the
 * contract (app.reportRendererError) to an engine wired as electron/main wires it, whose Sentry
 * (main's options, the one masker) sends them to a local HTTP sink acting as the DSN. A page
 * that throws while drawing is caught by its error boundary, shown in the page and reported.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, SCREENSHOT_DIR } from '../harness/browser';
import { PROJECT_ROOT } from '../harness/cli';
import { startSentrySink, type SentrySink } from '../telemetry/sentry-sink';

const CANARY = `renderer-canary-${Math.random().toString(36).slice(2)}`;
let sink: SentrySink;

beforeAll(async () => {
  sink = await startSentrySink();
});
afterAll(() => sink.close());

describe('renderer crashes', () => {
  it('reach the DSN through main, tagged renderer, with every canary masked; a page that fails to draw says so', async () => {
    const child = spawn(process.execPath, [join(PROJECT_ROOT, 'bin', 'run-ts.mjs'), join(PROJECT_ROOT, 'tests', 'e2e', 'renderer-crash-child.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PREFLIGHT_SENTRY_DSN: sink.dsn },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const browser = await launchChromium();
    try {
      await expect.poll(() => /ui (http\S+)/.exec(out)?.[1], { timeout: 60_000 }).toBeTruthy();
      const page = await browser.newPage();
      await page.goto(`${/ui (http\S+)/.exec(out)![1]}#/postgres`);
      await page.getByText('Postgres connection use').waitFor();
      const before = sink.envelopes.length;
      // Thrown by the page itself, outside any handler: what window.onerror and unhandledrejection see.
      await page.evaluate((canary) => {
        setTimeout(() => {
          throw new Error(`renderer crash while drawing postgres://monitor:${canary}-r1@db.internal:5432/app`);
        });
        void Promise.reject(new Error(`renderer rejection for https://api.example/x?token=${canary}-r2 (password=${canary}-r3)`));
      }, CANARY);
      const events = () => sink.events(before);
      await expect.poll(() => events().length, { timeout: 30_000 }).toBe(2);
      const all = events().join('\n');
      expect(all).toContain('renderer crash while drawing postgres://monitor:*****@db.internal:5432/app');
      expect(all).toMatch(/renderer rejection for https:\/\/api\.example\/x\?token=\*{5}/);
      expect(all).not.toContain(CANARY);
      const parsed = events().map((e) => JSON.parse(e) as { tags?: Record<string, string>; extra?: Record<string, string> });
      expect(parsed.map((e) => e.tags?.process)).toEqual(['renderer', 'renderer']);
      expect(parsed.map((e) => e.tags?.source).sort()).toEqual(['unhandledrejection', 'window.error']);
      expect(parsed.every((e) => e.extra?.page === '#/postgres')).toBe(true);

      // A page that throws while drawing (an answer this renderer cannot draw, as from a mismatched
      // engine; the real engine validates its outputs, so the answer is substituted here): the
      // error boundary shows it in the page, the app around it stays, and the report arrives.
      await page.route('**/api/call/http.targets', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({ result: [{ targetId: 't1', label: { drawn: false } }] }) }));
      const beforeDraw = sink.envelopes.length;
      await page.getByRole('link', { name: 'Endpoints' }).click();
      await page.getByText('This page failed to draw').waitFor({ timeout: 15_000 });
      expect(await page.getByRole('link', { name: 'Postgres' }).isVisible()).toBe(true);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'page-failed-to-draw.png') });
      await expect.poll(() => sink.events(beforeDraw).length, { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
      const drawn = sink.events(beforeDraw).map((e) => JSON.parse(e) as { tags?: Record<string, string>; extra?: Record<string, string> });
      expect(drawn.some((e) => e.tags?.source === 'react' && e.tags.process === 'renderer' && e.extra?.page === '#/endpoints')).toBe(true);
      // Another page draws again (the boundary is per page).
      await page.getByRole('link', { name: 'Postgres' }).click();
      await page.getByText('Postgres connection use').waitFor();
      await page.close();
    } finally {
      await browser.close();
      child.kill('SIGTERM');
      await exited;
    }
  });
});
