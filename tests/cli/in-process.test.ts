/**
 * The in-process CLI runner (tests/harness/cli.ts runCli) gives each run what a process would
 * have and puts back everything the run changed, so CLI tests can share a test worker.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli';

describe('runCli in-process', () => {
  it('captures stdout, stderr and the exit code of one run', async () => {
    const ok = await runCli(['--version']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const bad = await runCli(['pg', 'activity', '--url', 'mysql://x@h/d', '--json']);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'usage' } });
    expect(bad.stderr).toMatch(/--url/);
  });

  it('restores process.exitCode, the environment and process handlers after the run', async () => {
    process.env.PF_IN_PROCESS_KEEP = 'kept';
    const signalHandlers = process.listeners('SIGINT').length;
    // A refused active probe sets exitCode 2 inside the command; the env of the run is its own.
    const res = await runCli(['ratelimit', '--url', 'http://127.0.0.1:9/x', '--limit', '5'], { env: { PF_IN_PROCESS_ADDED: '1', PF_IN_PROCESS_KEEP: undefined } });
    expect(res.code).toBe(2);
    expect(process.exitCode).toBeUndefined();
    expect(process.env.PF_IN_PROCESS_ADDED).toBeUndefined();
    expect(process.env.PF_IN_PROCESS_KEEP).toBe('kept');
    expect(process.listeners('SIGINT')).toHaveLength(signalHandlers);
    delete process.env.PF_IN_PROCESS_KEEP;
  });

  it('runs started together never mix their output', async () => {
    const [a, b] = await Promise.all([runCli(['pg', '--help']), runCli(['redis', '--help'])]);
    expect(a.stdout).toMatch(/^Usage: preflight pg /);
    expect(a.stdout).not.toMatch(/preflight redis/);
    expect(b.stdout).toMatch(/^Usage: preflight redis /);
  });
});
