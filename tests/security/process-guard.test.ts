/**
 * `preflight serve` (and `demo`, which shares waitForSignal) must log a stray rejection or
 * exception, without the password in it, and keep serving instead of dying.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/cli';
import { waitFor } from '../harness';

describe('process guard in preflight serve', () => {
  it('logs an unhandled rejection and an uncaught exception with passwords masked, and keeps serving', async () => {
    const preload = pathToFileURL(join(PROJECT_ROOT, 'tests', 'fixtures', 'stray-errors-on-signal.mjs')).href;
    const child = spawn(process.execPath, ['--import', preload, join(PROJECT_ROOT, 'bin', 'preflight.mjs'), 'serve'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    try {
      const url = await waitFor(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(stderr)?.[0], { timeoutMs: 90_000, what: 'the serve URL' });
      child.kill('SIGUSR2');
      await waitFor(() => (stderr.match(/logged, still running/g)?.length ?? 0) >= 2, { timeoutMs: 10_000, what: 'two logged errors' });
      expect(stderr).toMatch(/unhandled promise rejection \(logged, still running\): Error: lost connection to postgres:\/\/app:\*\*\*\*\*@db\.example\/prod/);
      expect(stderr).toMatch(/uncaught exception \(logged, still running\): Error: redis:\/\/:\*\*\*\*\*@cache:6379 went away/);
      expect(stderr + stdout).not.toContain('CanaryGuardPw');
      expect(child.exitCode).toBeNull();
      const page = await fetch(url);
      expect(page.status).toBe(200);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
    }
  }, 120_000);
});
