/**
 * Tests never touch the user's real files (issue 10 §6): every test file runs with a temporary
 * HOME and data folder, spawned CLI processes inherit them, and a guard fails the file (and the
 * run) when anything appears under the real ~/.local/share/preflight.
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditLogPath, readAudit, writeAudit } from '../../electron/core/audit/audit-log';
import { dataDir } from '../../electron/core/util/data-dir';
import { runBinary } from '../harness/cli';
import { assertUntouched, fingerprint, realDataDir } from '../harness/real-data-guard';

const realDir = process.env.PREFLIGHT_TEST_REAL_DATA_DIR ?? '';
const underTmp = (path: string) => realpathSync(path).startsWith(realpathSync(tmpdir()));

describe('test isolation from the real data folder', () => {
  it('resolves the data folder and HOME to temporary folders, never the real one', () => {
    expect(realDir).not.toBe('');
    expect(dataDir()).not.toBe(realDir);
    expect(underTmp(dataDir())).toBe(true);
    expect(underTmp(homedir())).toBe(true);
    // Even a test that drops PREFLIGHT_DATA_DIR lands in the temporary HOME.
    expect(realDataDir()).not.toBe(realDir);
  });

  it('keeps the audit log of in-process code and of a spawned CLI in the temporary folder', async () => {
    const before = fingerprint(realDir);
    writeAudit({ action: 'test.isolation', target: 'http://127.0.0.1:1/', outcome: 'refused' });
    expect(underTmp(auditLogPath())).toBe(true);
    // A refused active probe is audited by the child process, which inherits process.env.
    const res = await runBinary(['ratelimit', '--url', 'http://127.0.0.1:9/x', '--limit', '5']);
    expect(res.code).toBe(2);
    const actions = readAudit().map((e) => e.action);
    expect(actions).toEqual(['test.isolation', 'ratelimit.run']);
    assertUntouched(realDir, before, 'this test');
  });

  it('the guard notices a write under a data folder and names what changed', () => {
    const fakeReal = join(mkdtempSync(join(tmpdir(), 'pf-fake-real-')), 'preflight');
    const absent = fingerprint(fakeReal);
    expect(absent).toBe('absent');
    mkdirSync(fakeReal);
    expect(() => assertUntouched(fakeReal, absent, 'A test')).toThrow(/A test wrote under the real Preflight data folder/);
    appendFileSync(join(fakeReal, 'audit.jsonl'), '{}\n');
    const one = fingerprint(fakeReal);
    assertUntouched(fakeReal, one, 'nobody');
    appendFileSync(join(fakeReal, 'audit.jsonl'), '{}\n');
    expect(() => assertUntouched(fakeReal, one, 'A test')).toThrow(/changed: audit\.jsonl file 6/);
    expect(existsSync(join(fakeReal, 'audit.jsonl')) && readFileSync(join(fakeReal, 'audit.jsonl'), 'utf8')).toBe('{}\n{}\n');
  });
});
