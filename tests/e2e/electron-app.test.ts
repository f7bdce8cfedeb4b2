/**
 * The real Electron app, driven by Playwright's _electron. Electron downloads its binary on
 * first run, which build machines without internet cannot do: there this spec reports itself
 * skipped with the reason, never passed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/cli';

function electronBinary(): { path: string | null; reason: string } {
  const pkg = join(PROJECT_ROOT, 'node_modules', 'electron');
  const pathFile = join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, reason: 'Electron binary not downloaded (node_modules/electron/path.txt missing); it cannot be fetched on this machine' };
  const binary = join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary, reason: '' } : { path: null, reason: `Electron binary missing at ${binary}` };
}

const electron = electronBinary();
if (!electron.path) process.stderr.write(`[electron-app.test] skipped: ${electron.reason}\n`);

describe.skipIf(!electron.path)(`Electron app (${electron.path ? 'binary present' : `skipped: ${electron.reason}`})`, () => {
  it('opens a sandboxed window whose bridge exposes only the contract', async () => {
    execFileSync('npm', ['run', 'build'], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    const app = await _electron.launch({ executablePath: electron.path!, args: [PROJECT_ROOT, '--no-sandbox'] });
    try {
      const win = await app.firstWindow();
      expect(await win.title()).toBe('Preflight');
      const shape = await win.evaluate(() => ({
        bridgeKeys: Object.keys((globalThis as unknown as { preflight: object }).preflight).sort(),
        hasRequire: typeof (globalThis as unknown as { require?: unknown }).require !== 'undefined',
        hasProcess: typeof (globalThis as unknown as { process?: unknown }).process !== 'undefined',
      }));
      expect(shape).toEqual({ bridgeKeys: ['call', 'on'], hasRequire: false, hasProcess: false });
      const info = await win.evaluate(() => (globalThis as unknown as { preflight: { call: (n: string, i: unknown) => Promise<unknown> } }).preflight.call('app.info', {}));
      expect(info).toMatchObject({ result: { transport: 'ipc' } });
      const refused = await win.evaluate(() => (globalThis as unknown as { preflight: { call: (n: string, i: unknown) => Promise<unknown> } }).preflight.call('fs.readFile', {}));
      expect(refused).toMatchObject({ error: { code: 'unknown_call' } });
    } finally {
      await app.close();
    }
  });
});
