import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli';
import { sharedPostgres } from '../harness';
import { envText, profileYaml, tempDir, writeTree } from './fixtures';

// Cluster-wide Postgres checks other than pool utilisation could see other test files' sessions on the shared cluster.
const ONLY = 'env.required,env.secret-strength,env.cors-origins,repo.no-alert,pg.pool-utilization';
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  dir = tempDir();
  writeFileSync(join(dir, 'backend.env'), envText());
  writeTree(join(dir, 'repo'), { 'frontend/app/a.tsx': 'export const a = 1;\n' });
  writeFileSync(join(dir, 'p.yaml'), profileYaml({ envFile: 'backend.env', repo: 'repo', expectations: undefined }));
  env = { PREFLIGHT_DATA_DIR: tempDir('pf-data-'), TEST_DATABASE_URL: sharedPostgres().url };
});

describe('preflight check (CLI)', () => {
  it('--json prints one document with score, verdict and results; exit 0 when ready', async () => {
    const res = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', ONLY, '--json'], { env });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const doc = JSON.parse(res.stdout) as { score: number; verdict: string; results: Record<string, unknown>[]; previous: unknown };
    expect(doc.verdict).toBe('ready');
    expect(doc.score).toBe(100);
    expect(doc.previous).toBeNull();
    expect(doc.results).toHaveLength(5);
    for (const r of doc.results) {
      for (const key of ['id', 'title', 'category', 'severity', 'status', 'summary', 'evidence', 'durationMs']) expect(r).toHaveProperty(key);
      expect(r.status).toBe('pass');
    }
  });

  it('exit 1 when a critical check fails; the score is capped and the change since the previous run is shown', async () => {
    writeFileSync(join(dir, 'backend.env'), envText({ ENVIRONMENT: 'staging' }));
    try {
      const res = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', ONLY, '--json'], { env });
      expect(res.code).toBe(1);
      const doc = JSON.parse(res.stdout) as { score: number; verdict: string; cappedBy: string[]; previous: { previousScore: number; change: string; statusChanges: unknown[] }; results: { id: string; status: string }[] };
      expect(doc.verdict).toBe('not_ready');
      expect(doc.cappedBy).toEqual(['env.required']);
      expect(doc.score).toBeLessThan(80);
      expect(doc.results[0]).toMatchObject({ id: 'env.required', status: 'fail' });
      expect(doc.previous.previousScore).toBe(100);
      expect(doc.previous.change).toBe(`100 → ${doc.score}`);
      expect(doc.previous.statusChanges).toEqual([{ id: 'env.required', from: 'pass', to: 'fail' }]);

      const human = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', ONLY], { env });
      expect(human.code).toBe(1);
      // An --only run is labelled partial: its score is never given as a readiness headline.
      expect(human.stdout).toMatch(/^PARTIAL RUN of 5 chosen checks: \d+\/100 over those checks only — not a readiness verdict/);
      expect(human.stdout).not.toMatch(/^Readiness/m);
      expect(human.stdout).toMatch(/Capped below 80( \(from \d+\))?: a failing check of medium severity or above blocks READY — env\.required \(critical\)/);
      expect(human.stdout).toMatch(/Points lost\n\s+-\s*\d+\.\d\s+env\.required \(critical, fail\)/);
      expect(human.stdout).toMatch(/Since the previous run .*: \d+ → \d+/);

      // A run over a different set of checks is not compared with these.
      const other = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', 'repo.no-alert', '--json'], { env });
      expect((JSON.parse(other.stdout) as { previous: unknown }).previous).toBeNull();
    } finally {
      writeFileSync(join(dir, 'backend.env'), envText());
    }
  });

  it('--junit writes valid JUnit XML with one test case per check', async () => {
    writeFileSync(join(dir, 'backend.env'), envText({ JWT_SECRET: 'abc' }));
    const file = join(dir, 'junit.xml');
    try {
      const res = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', `${ONLY},health.ready`, '--junit', file], { env });
      expect(res.code).toBe(1);
      const xml = readFileSync(file, 'utf8');
      expect(XMLValidator.validate(xml)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => name === 'testcase' || name === 'property' }).parse(xml) as {
        testsuites: { tests: string; failures: string; skipped: string; testsuite: { name: string; tests: string; testcase: { name: string; classname: string; time: string; failure?: { message: string; type: string }; skipped?: { message: string } }[]; properties: { property: { name: string; value: string }[] } } };
      };
      const suite = doc.testsuites.testsuite;
      expect(suite.name).toBe('preflight test-stack/prod');
      expect(suite.testcase).toHaveLength(6);
      expect(Number(suite.tests)).toBe(6);
      expect(Number(doc.testsuites.failures)).toBe(1);
      expect(Number(doc.testsuites.skipped)).toBe(1);
      const weak = suite.testcase.find((t) => t.name.startsWith('env.secret-strength'))!;
      expect(weak.classname).toBe('preflight.security');
      expect(weak.failure).toMatchObject({ type: 'high' });
      expect(weak.failure!.message).toMatch(/JWT_SECRET is 3 characters/);
      const unknown = suite.testcase.find((t) => t.name.startsWith('health.ready:'))!;
      expect(unknown.skipped!.message).toMatch(/^unknown: /);
      for (const t of suite.testcase) expect(Number(t.time)).toBeGreaterThanOrEqual(0);
      expect(suite.properties.property.find((p) => p.name === 'verdict')!.value).toBe('not_ready');
    } finally {
      writeFileSync(join(dir, 'backend.env'), envText());
    }
  });

  it('an invalid profile exits 2 naming file:line and the field', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nname: x\nenvironments:\n  - name: prod\n    kind: live\n');
    const res = await runCli(['check', '--profile', bad, '--env', 'prod', '--json'], { env });
    expect(res.code).toBe(2);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(res.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(res.stderr).toMatch(/bad\.yaml:5:11 environments\[0\]\.kind: .*expected one of/);
  });

  it('a secret the run needs that cannot be resolved exits 2 naming the environment and the reference, never a value', async () => {
    const unset = join(dir, 'unset.yaml');
    writeFileSync(unset, profileYaml({ postgresEnvVar: 'PF_TEST_UNSET_DATABASE_URL', envFile: 'backend.env', repo: 'repo', expectations: undefined }));
    const res = await runCli(['check', '--profile', unset, '--env', 'prod', '--only', 'pg.pool-utilization', '--json'], { env });
    expect(res.code).toBe(2);
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(res.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(res.stderr).toContain('environment "prod"');
    expect(res.stderr).toContain('secret "db": environment variable PF_TEST_UNSET_DATABASE_URL is not set');

    const keychain = join(dir, 'keychain.yaml');
    writeFileSync(keychain, profileYaml({ envFile: 'backend.env', repo: 'repo', expectations: undefined }).replace('db: { env: TEST_DATABASE_URL }', 'db: { keychain: { service: preflight-test, account: no-such-entry } }'));
    const kc = await runCli(['check', '--profile', keychain, '--env', 'prod', '--only', 'pg.pool-utilization'], { env });
    expect(kc.code).toBe(2);
    expect(kc.stderr).toContain('environment "prod"');
    expect(kc.stderr).toContain('secret "db": keychain entry preflight-test/no-such-entry could not be read');

    // A run that does not need the secret is not stopped by it.
    const unneeded = await runCli(['check', '--profile', unset, '--env', 'prod', '--only', 'env.required', '--json'], { env });
    expect(unneeded.code).toBe(0);
    // The value of a secret that does resolve never appears in the output.
    const ok = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', 'pg.pool-utilization', '--json'], { env });
    expect(ok.stdout + ok.stderr).not.toContain(env.TEST_DATABASE_URL!);
  });

  it('an unknown environment or check id exits 2', async () => {
    const noEnv = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'staging'], { env });
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toMatch(/environment "staging" is not in .*it has: prod/);
    const noId = await runCli(['check', '--profile', join(dir, 'p.yaml'), '--env', 'prod', '--only', 'pg.nope'], { env });
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/unknown check id\(s\): pg\.nope/);
  });

  it('checklist start / sign / status / verify / export work from the CLI', async () => {
    const checklist = profileYaml({ envFile: 'backend.env', repo: 'repo', checklist: 'checklist:\n  phases:\n    - { id: pre-deploy, title: Pre, steps: [ { id: env, title: Env set, checks: [env.required] }, { id: tests, title: Tests pass, manual: true } ] }' });
    const p = join(dir, 'c.yaml');
    writeFileSync(p, checklist);
    const ownEnv = { ...env, PREFLIGHT_DATA_DIR: tempDir('pf-data-') };
    expect((await runCli(['checklist', 'start', '--profile', p, '--env', 'prod'], { env: ownEnv })).code).toBe(0);
    expect((await runCli(['check', '--profile', p, '--env', 'prod', '--only', 'env.required'], { env: ownEnv })).code).toBe(0);
    const pending = await runCli(['checklist', 'status', '--profile', p, '--env', 'prod', '--json'], { env: ownEnv });
    expect(pending.code).toBe(1);
    expect((JSON.parse(pending.stdout) as { done: number; total: number }).done).toBe(1);
    const sign = await runCli(['checklist', 'sign', '--profile', p, '--env', 'prod', '--step', 'tests', '--name', 'Ana', '--note', 'green'], { env: ownEnv });
    expect(sign.code).toBe(0);
    const done = await runCli(['checklist', 'status', '--profile', p, '--env', 'prod'], { env: ownEnv });
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/\[x\] tests .*signed by Ana/);
    expect((await runCli(['checklist', 'verify', '--profile', p, '--env', 'prod'], { env: ownEnv })).code).toBe(0);
    const out = join(dir, 'record.html');
    expect((await runCli(['checklist', 'export', '--profile', p, '--env', 'prod', '--format', 'html', '--out', out], { env: ownEnv })).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('data-step="tests"');
    const md = join(dir, 'record.md');
    expect((await runCli(['checklist', 'export', '--profile', p, '--env', 'prod', '--format', 'md', '--out', md], { env: ownEnv })).code).toBe(0);
    // Only a partial (--only) run exists: the record says so, keeps the step's evidence and gives no headline.
    expect(readFileSync(md, 'utf8')).toContain('- Readiness: no complete check run since the walkthrough started');
    expect(readFileSync(md, 'utf8')).toMatch(/- Newer partial run \d+ \(1 chosen checks, [^)]+\): 100\/100 over those checks only — partial, not a readiness verdict/);
    expect(readFileSync(md, 'utf8')).toContain('check env.required: pass');
    // A new walkthrough does not carry the previous one's evidence into its record.
    expect((await runCli(['checklist', 'start', '--profile', p, '--env', 'prod'], { env: ownEnv })).code).toBe(0);
    expect((await runCli(['checklist', 'export', '--profile', p, '--env', 'prod', '--format', 'md', '--out', md], { env: ownEnv })).code).toBe(0);
    expect(readFileSync(md, 'utf8')).not.toContain('check env.required: pass');
    expect(readFileSync(md, 'utf8')).not.toContain('Newer partial run');
    expect(readFileSync(md, 'utf8')).toContain('no complete check run since the walkthrough started');
  });
});
