/**
 * `npm run app` on a machine that cannot fetch Electron's binary ends with what to use
 * instead, and leaves the native modules built for Node (it stops before rebuilding them).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/cli';

const binaryPresent = existsSync(join(PROJECT_ROOT, 'node_modules', 'electron', 'path.txt'));
if (binaryPresent) process.stderr.write('[launch.test] skipped: the Electron binary is installed here, so the launcher would start the app instead of failing\n');

describe.skipIf(binaryPresent)(`launcher without an Electron binary${binaryPresent ? ' (skipped: binary installed)' : ''}`, () => {
  it('ends with a line pointing to `npx preflight serve` and `npx preflight demo`, exit 1', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'preflight-electron-cache-'));
    try {
      // A mirror that refuses at once stands for "no internet" without waiting on network timeouts.
      const env = { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: cache };
      const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(process.execPath, [join(PROJECT_ROOT, 'scripts', 'launch-electron.mjs')], { cwd: PROJECT_ROOT, env, timeout: 60_000 }, (error, _stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
        );
      });
      expect(result.code).toBe(1);
      const lines = result.stderr.trim().split('\n');
      expect(lines.at(-2)).toMatch(/Electron binary is not installed and could not be downloaded/);
      expect(lines.at(-1)).toContain('`npx preflight serve`');
      expect(lines.at(-1)).toContain('`npx preflight demo`');
      expect(existsSync(join(PROJECT_ROOT, 'node_modules', 'electron', 'path.txt'))).toBe(false);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
