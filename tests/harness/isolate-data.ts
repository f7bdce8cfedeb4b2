/**
 * Runs before every test file (vitest setupFiles): gives the file, and every process it spawns
 * with process.env, a temporary HOME, XDG_DATA_HOME and PREFLIGHT_DATA_DIR, so nothing a test
 * does can reach the user's real ~/.local/share/preflight. After the file, the real folder must
 * be exactly as it was (tests/harness/real-data-guard.ts); the global setup checks the whole run.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { assertUntouched, fingerprint, realDataDir } from './real-data-guard';

// Kept across files when a worker process runs several: HOME is the temp one by then.
const realDir = (process.env.PREFLIGHT_TEST_REAL_DATA_DIR ??= realDataDir());
const before = fingerprint(realDir);

const root = mkdtempSync(join(tmpdir(), 'pf-test-home-'));
process.env.HOME = join(root, 'home');
process.env.XDG_DATA_HOME = join(root, 'home', '.local', 'share');
process.env.PREFLIGHT_DATA_DIR = join(root, 'data');
mkdirSync(process.env.HOME, { recursive: true });

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  assertUntouched(realDir, before, `Test file ${expect.getState().testPath ?? '(unknown)'}`);
});
