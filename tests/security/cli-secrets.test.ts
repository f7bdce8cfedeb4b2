/**
 * No CLI command may print a password it was given, whatever it rejects: the canary password
 * must appear nowhere in stdout or stderr (usage errors, unreachable targets, bad shapes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli';

const CANARY = 'Canary7pw';
const dataDir = mkdtempSync(join(tmpdir(), 'preflight-cli-secrets-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** args, and the exit code the command must give (proving it ran and rejected). */
const CASES: { name: string; args: string[]; code: number }[] = [
  { name: 'pg activity, wrong scheme', args: ['pg', 'activity', '--url', `postgresx://app:${CANARY}@db.example/prod`], code: 2 },
  { name: 'pg activity, no scheme', args: ['pg', 'activity', '--url', `app:${CANARY}@db.example/prod`], code: 2 },
  { name: 'pg activity, --url=value, slash in password', args: ['pg', 'activity', `--url=mysql://app:x/${CANARY}@db.example/prod`], code: 2 },
  { name: 'pg activity, unreachable', args: ['pg', 'activity', '--url', `postgres://app:${CANARY}@127.0.0.1:9/prod`], code: 3 },
  { name: 'redis, wrong scheme, empty user', args: ['redis', '--url', `http://:${CANARY}@cache:6379`], code: 2 },
  { name: 'redis, unreachable', args: ['redis', '--url', `redis://:${CANARY}@127.0.0.1:9`, '--window', '100ms'], code: 3 },
  { name: 'http, wrong scheme', args: ['http', '--base-url', `ftp://u:${CANARY}@api.example`], code: 2 },
  { name: 'http, bad --pg-url', args: ['http', '--base-url', 'http://127.0.0.1:9', '--pg-url', `pg://u:p@${CANARY}@db/x`], code: 2 },
  { name: 'ratelimit, wrong scheme', args: ['ratelimit', '--url', `ftp://u:${CANARY}@api.example/x`, '--limit', '5'], code: 2 },
  { name: 'ratelimit, token query parameter', args: ['ratelimit', '--url', `ftp://api.example/x?token=${CANARY}`, '--limit', '5'], code: 2 },
  { name: 'migrate status, wrong scheme', args: ['migrate', 'status', '--url', `postgresx://app:${CANARY}@db.example/prod`], code: 2 },
  // 100 KB URLs (the masking of their echo took 46 s before it was linear): refused by length.
  { name: 'http, 100 KB base URL', args: ['http', '--base-url', `https://u:${CANARY}@api.example/${'a'.repeat(100_000)}`], code: 2 },
  { name: 'pg activity, 100 KB URL', args: ['pg', 'activity', '--url', `postgres://app:${CANARY}@db/${':@%'.repeat(33_000)}`], code: 2 },
  { name: 'migrate apply, unreachable', args: ['migrate', 'apply', '--url', `postgres://app:${CANARY}@127.0.0.1:9/prod`, '--yes', '--dir', 'tests'], code: 3 },
];

describe('CLI never prints a password it was given', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const result = await runCli(c.args, { env: { PREFLIGHT_DATA_DIR: dataDir } });
      expect(result.code).toBe(c.code);
      expect(result.stderr.length).toBeGreaterThan(0);
      expect(result.stdout).not.toContain(CANARY);
      expect(result.stderr).not.toContain(CANARY);
    });
  }
});
