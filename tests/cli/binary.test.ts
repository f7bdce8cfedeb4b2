/**
 * The real `preflight` binary (bin/preflight.mjs → dist/cli, or tsx when stale) starts and
 * exits with the documented codes, and --json output survives the exit intact. Most CLI tests
 * run in-process (tests/harness/cli.ts runCli); these prove the process itself.
 */
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../../electron/cli/version';
import { runBinary } from '../harness/cli';

describe('the preflight binary', () => {
  it('--version prints the package version and exits 0', async () => {
    const res = await runBinary(['--version']);
    expect(res).toEqual({ code: 0, stdout: `${APP_VERSION}\n`, stderr: '' });
  });

  it('a usage error exits 2 and says what to fix on stderr', async () => {
    const res = await runBinary(['pg', 'activity', '--url', 'mysql://x@h/d']);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/--url/);
  });

  it('a dead target exits 3 with one complete JSON error document on stdout', async () => {
    const res = await runBinary(['pg', 'activity', '--url', 'postgres://u@127.0.0.1:9/db', '--json']);
    expect(res.code).toBe(3);
    expect(JSON.parse(res.stdout)).toMatchObject({ error: { code: 'target_unreachable' } });
  });

  it('an unknown command exits 2 even with --help', async () => {
    const res = await runBinary(['nope', '--help']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/unknown command 'nope'/);
  });
});
