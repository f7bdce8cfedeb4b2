/**
 * Bad input ends with a clear one-line error and exit 2, never a hang, a crash or exit 1
 * "unexpected failure" (issue 10 §5). Each case runs the real CLI as a user would.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAudit } from '../../electron/core/audit/audit-log';
import { MAX_PROFILE_BYTES } from '../../electron/core/util/read-file';
import { runCli, type CliResult } from '../harness/cli';
import { sharedPostgres } from '../harness';
import { envText, profileYaml, tempDir } from '../checks/fixtures';

// A hang shows as a timeout (code 1 from the harness), never as exit 2. Generous: a CLI start
// takes seconds on a loaded machine, and a FIFO read would block forever.
const LIMIT = { timeoutMs: 120_000 };
// Several CLI runs per test.
const SLOW = { timeout: 400_000 };

/** Exit 2 with one line on stderr that matches `reason`; no stack trace, no "unexpected failure". */
function expectUsageError(res: CliResult, reason: RegExp): void {
  expect(res.code, res.stderr).toBe(2);
  expect(res.stderr).toMatch(reason);
  expect(res.stderr).not.toMatch(/unexpected failure|\n\s+at /);
  expect(res.stderr.trim().split('\n').filter((l) => !/^\(run with --help/.test(l))).toHaveLength(1);
}

/** Nine levels of nine aliases: 9^9 nodes when expanded, a few hundred bytes as text. */
function aliasBomb(): string {
  let text = 'version: 1\nl0: &l0 [x, x, x, x, x, x, x, x, x]\n';
  for (let i = 1; i <= 9; i++) text += `l${i}: &l${i} [${Array.from({ length: 9 }, () => `*l${i - 1}`).join(', ')}]\n`;
  return text;
}

let dir: string;
beforeAll(() => {
  dir = tempDir('pf-badinput-');
  execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
});

describe('profiles: size and alias limits, only regular files', SLOW, () => {
  it('a profile over the size limit is refused before parsing, with the limit named', async () => {
    // ~110,000 list entries: the kind of file that exhausted the heap at 1.5 M entries.
    const line = '  - "0123456"\n';
    writeFileSync(join(dir, 'huge.yaml'), `version: 1\nname: x\nnotes:\n${line.repeat(Math.ceil((MAX_PROFILE_BYTES * 1.5) / line.length))}`);
    const res = await runCli(['check', '--profile', join(dir, 'huge.yaml'), '--env', 'prod'], LIMIT);
    expectUsageError(res, /huge\.yaml.*over the 1\.0 MB limit \(1\.5 MB\)/);
  });

  it('a YAML alias bomb exits 2 with its reason, not 1', async () => {
    writeFileSync(join(dir, 'bomb.yaml'), aliasBomb());
    const res = await runCli(['check', '--profile', join(dir, 'bomb.yaml'), '--env', 'prod'], LIMIT);
    expectUsageError(res, /bomb\.yaml.*YAML aliases expand too far/);
  });

  it('a FIFO or a folder given as the profile is refused, not read', async () => {
    expectUsageError(await runCli(['check', '--profile', join(dir, 'pipe.yaml'), '--env', 'prod'], LIMIT), /pipe\.yaml.*is a named pipe \(FIFO\), not a file/);
    mkdirSync(join(dir, 'folder.yaml'));
    expectUsageError(await runCli(['check', '--profile', join(dir, 'folder.yaml'), '--env', 'prod'], LIMIT), /folder\.yaml.*is a directory, not a file/);
    expectUsageError(await runCli(['pg', 'indexes', '--url', 'postgres://u@127.0.0.1:1/db', '--expect', join(dir, 'pipe.yaml')], LIMIT), /pipe\.yaml.*named pipe/);
  });
});

describe('migrations folder: only regular files are read', SLOW, () => {
  it('a FIFO named 0001_x.sql does not hang; a folder named 0001_dir.sql does not crash; each exits 2 naming the entry', async () => {
    const fifoDir = join(dir, 'mig-fifo');
    mkdirSync(fifoDir);
    execFileSync('mkfifo', [join(fifoDir, '0001_x.sql')]);
    const fifo = await runCli(['migrate', 'plan', '--url', sharedPostgres().url, '--dir', fifoDir], LIMIT);
    expectUsageError(fifo, /0001_x\.sql is a named pipe \(FIFO\), not a file: only regular files are read/);

    const folderDir = join(dir, 'mig-folder');
    mkdirSync(join(folderDir, '0001_dir.sql'), { recursive: true });
    const folder = await runCli(['migrate', 'status', '--url', sharedPostgres().url, '--dir', folderDir], LIMIT);
    expectUsageError(folder, /0001_dir\.sql is a directory, not a file/);
  });
});

describe('URLs, output paths and ports are checked before anything runs', SLOW, () => {
  it('migrate apply with a malformed database URL exits 2 naming the part', async () => {
    const empty = join(dir, 'mig-empty');
    mkdirSync(empty);
    const base = new URL(sharedPostgres().url);
    const escape = `postgres://${base.username}@${base.host}/db%zz`;
    expectUsageError(await runCli(['migrate', 'apply', '--url', escape, '--dir', empty, '--yes'], LIMIT), /database name in the URL has a malformed %-escape/);
    const cert = `${sharedPostgres().url}?sslmode=require&sslrootcert=${join(dir, 'no-such-ca.pem')}`;
    expectUsageError(await runCli(['migrate', 'apply', '--url', cert, '--dir', empty, '--yes'], LIMIT), /sslrootcert=.*no-such-ca\.pem: the file does not exist/);
    const pipe = `${sharedPostgres().url}?sslmode=require&sslrootcert=${join(dir, 'pipe.yaml')}`;
    expectUsageError(await runCli(['migrate', 'status', '--url', pipe, '--dir', empty], LIMIT), /sslrootcert=.*named pipe/);
  });

  it('check --junit into a missing folder exits 2 before any probe runs', async () => {
    writeFileSync(join(dir, 'backend.env'), envText());
    writeFileSync(join(dir, 'p.yaml'), profileYaml({ envFile: 'backend.env', expectations: undefined }));
    const res = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', 'env.required', '--junit', '/nonexistent-dir/x.xml'], { ...LIMIT, env: { TEST_DATABASE_URL: sharedPostgres().url } });
    expectUsageError(res, /--junit.*the folder \/nonexistent-dir does not exist/);
    expect(res.stderr).not.toMatch(/^probe /m);
    expect(res.stdout).toBe('');
    // The same profile with a writable path runs its probe and writes the file.
    const ok = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', 'env.required', '--junit', join(dir, 'out.xml')], { ...LIMIT, env: { TEST_DATABASE_URL: sharedPostgres().url } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/^probe envFile: ok/m);
    expect(existsSync(join(dir, 'out.xml'))).toBe(true);
  });

  describe('serve', () => {
    let holder: Server;
    let busyPort: number;
    beforeAll(async () => {
      holder = createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      busyPort = (holder.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => holder.close(() => resolve())));

    it('--port 70000 and a port in use exit 2 with one line', async () => {
      expectUsageError(await runCli(['serve', '--port', '70000'], LIMIT), /--port.*expected a port from 1 to 65535/);
      expectUsageError(await runCli(['serve', '--port', String(busyPort)], LIMIT), new RegExp(`127\\.0\\.0\\.1:${busyPort}: the port is already in use`));
    });
  });
});

describe('refusals by caps are audited', SLOW, () => {
  it('sse --streams 51 and --seconds 121 are refused (exit 2) and written to the audit log', async () => {
    const target = ['sse', '--url', 'http://127.0.0.1:9/stream', '--pg-url', 'postgres://u@127.0.0.1:9/db', '--confirm'];
    expectUsageError(await runCli([...target, '--streams', '51'], LIMIT), /at most 50 streams may be open at once .*got 51/);
    expectUsageError(await runCli([...target, '--seconds', '121'], LIMIT), /streams may stay open at most 120 s, got 121 s/);
    expectUsageError(await runCli([...target, '--max-5xx', '0.9'], LIMIT), /--max-5xx 0\.9 is above the hard cap/);
    const refused = readAudit().filter((e) => e.action === 'sse.run' && e.outcome === 'refused');
    expect(refused.map((e) => (e.details as { reason: string }).reason)).toEqual([
      expect.stringMatching(/got 51/),
      expect.stringMatching(/got 121 s/),
      expect.stringMatching(/--max-5xx 0\.9/),
    ]);
    expect(refused.every((e) => e.target === 'http://127.0.0.1:9/stream' && (e.details as { source: string }).source === 'cli')).toBe(true);
  });
});
