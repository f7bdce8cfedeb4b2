/**
 * The built renderer/index.html carries the CSP of shared/csp.ts in a meta element
 * (the header policy minus the directives a meta cannot carry), and Chromium enforces it even
 * when no CSP header is sent.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { launchChromium } from '../harness/browser';
import { PROJECT_ROOT } from '../harness/cli';

const outDir = mkdtempSync(join(tmpdir(), 'preflight-csp-build-'));
let html = '';
let server: Server;
let origin = '';

beforeAll(async () => {
  const { build } = await import('vite');
  await build({ configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  html = readFileSync(join(outDir, 'index.html'), 'utf8');
  // A static server that sends NO CSP header: whatever is enforced comes from the meta.
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  server = createServer((req, res) => {
    const path = join(outDir, new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/$/, '/index.html'));
    try {
      const body = readFileSync(path);
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 120_000);
afterAll(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  rmSync(outDir, { recursive: true, force: true });
});

describe('renderer CSP meta', () => {
  it('is the header policy without its header-only directives, before any script', () => {
    const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/g)];
    expect(metas).toHaveLength(1);
    const content = metas[0]![1]!;
    expect(content).toBe(META_CONTENT_SECURITY_POLICY);
    const headerDirectives = CONTENT_SECURITY_POLICY.split('; ');
    expect(content.split('; ')).toEqual(headerDirectives.filter((d) => !d.startsWith('frame-ancestors ')));
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<script'));
  });

  it('is enforced by Chromium without a header: inline script blocked, no meta errors', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const messages: string[] = [];
      page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
      const response = await page.goto(`${origin}/`);
      expect(response?.headers()['content-security-policy']).toBeUndefined();
      // Runs in the page (a string: the test tsconfig has no DOM types).
      const ran = await page.evaluate(`(async () => {
        const violated = new Promise((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(e.effectiveDirective), { once: true }));
        const s = document.createElement('script');
        s.textContent = 'window.__inlineRan = true';
        document.head.appendChild(s);
        return { ran: window.__inlineRan === true, directive: await violated };
      })()`);
      expect(ran).toEqual({ ran: false, directive: 'script-src-elem' });
      expect(messages.filter((m) => /delivered via a <meta>|Unrecognized Content-Security-Policy/.test(m))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
