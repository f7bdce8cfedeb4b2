/**
 * The app:// handler serves the renderer build and nothing outside it: traversal in every
 * spelling (plain, percent-encoded, encoded slashes and backslashes, NUL, symlinks) is refused.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, createAppProtocolHandler } from '../../electron/main/app-protocol-handler';

const SECRET = 'canary-outside-the-build-7f3a';
const base = mkdtempSync(join(tmpdir(), 'preflight-app-scheme-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
writeFileSync(join(root, 'assets', 'index.js'), 'console.log(1)');
writeFileSync(join(base, 'secret.txt'), SECRET);
writeFileSync(join(base, 'renderer-secret.txt'), SECRET);
symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link-out.txt'));
const handle = createAppProtocolHandler(root, "default-src 'self'");
afterAll(() => rmSync(base, { recursive: true, force: true }));

async function get(url: string, method = 'GET'): Promise<{ status: number; body: string; headers: Headers }> {
  const res = await handle(new Request(url, { method }));
  return { status: res.status, body: await res.text(), headers: res.headers };
}

describe('app:// protocol handler', () => {
  it('serves the entry and its assets with a content type and the CSP', async () => {
    const entry = await get(APP_ENTRY_URL);
    expect(entry.status).toBe(200);
    expect(entry.body).toContain('<div id="root">');
    expect(entry.headers.get('content-type')).toMatch(/^text\/html/);
    expect(entry.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect((await get('app://preflight/')).body).toContain('<div id="root">');
    const script = await get('app://preflight/assets/index.js');
    expect([script.status, script.headers.get('content-type'), script.headers.get('x-content-type-options')]).toEqual([200, 'text/javascript; charset=utf-8', 'nosniff']);
  });

  const attempts: [string, number][] = [
    ['app://preflight/../secret.txt', 404], // URL parsing keeps it inside the root: there is no such file there
    ['app://preflight/%2e%2e/secret.txt', 404],
    ['app://preflight/..%2fsecret.txt', 403],
    ['app://preflight/%2e%2e%2fsecret.txt', 403],
    ['app://preflight/assets/%2E%2E%2F%2E%2E%2Fsecret.txt', 403],
    ['app://preflight/assets/..%5c..%5csecret.txt', 403],
    ['app://preflight/%2e%2e%5csecret.txt', 403],
    ['app://preflight/%252e%252e%252fsecret.txt', 404], // decoded once only: a literal file name
    ['app://preflight/..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd', 403],
    ['app://preflight/%2fetc%2fpasswd', 404], // an absolute path is taken inside the root
    ['app://preflight/index.html%00.js', 403],
    ['app://preflight/assets/link-out.txt', 403], // a symlink leading out of the build
    ['app://preflight/assets', 404], // a folder is not a file
    ['app://evil/index.html', 404],
    ['app://preflight/%E0%A4%A', 400],
  ];
  it.each(attempts)('refuses %s (%i) and never returns what lies outside the build', async (url, status) => {
    const res = await get(url);
    expect(res.status).toBe(status);
    expect(res.body).not.toContain(SECRET);
  });

  it('says the build is missing instead of throwing', async () => {
    const res = await createAppProtocolHandler(join(base, 'no-build'), "default-src 'self'")(new Request(APP_ENTRY_URL));
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/UI build is missing.*npm run build/);
  });

  it('answers only GET and HEAD', async () => {
    expect((await get(APP_ENTRY_URL, 'POST')).status).toBe(405);
    const head = await get(APP_ENTRY_URL, 'HEAD');
    expect([head.status, head.body]).toEqual([200, '']);
  });
});
