import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { runChecks } from '../../electron/core/engine/run-checks';
import { startWalkthrough } from '../../electron/core/checklist/walkthrough';
import { loadProfile, type LoadedProfile } from '../../electron/core/profile/load';
import { stripComments } from '../../electron/core/probes/static/strip-comments';
import { ChecksStore } from '../../electron/core/store/checks-store';
import { envText, HEX128, HEX64, profileYaml, tempDir, writeTree } from './fixtures';

process.env.PREFLIGHT_DATA_DIR = tempDir('pf-data-');

function stack(env: string, repoFiles: Record<string, string> = { 'frontend/app/page.tsx': 'export const ok = 1;\n' }): LoadedProfile {
  const dir = tempDir();
  writeFileSync(join(dir, 'backend.env'), env);
  writeTree(join(dir, 'repo'), repoFiles);
  writeFileSync(join(dir, 'profile.yaml'), profileYaml({ envFile: 'backend.env', repo: 'repo' }));
  return loadProfile(join(dir, 'profile.yaml'), { knownCheckIds: CHECK_IDS });
}

async function result(loaded: LoadedProfile, id: string, store: ChecksStore | null = null) {
  const report = await runChecks({ loaded, environment: 'prod', only: [id], store, env: {} });
  return report.results[0]!;
}

describe('env.* over a backend .env (values never shown)', () => {
  it('the good file passes all three, and no secret value appears in any result', async () => {
    const loaded = stack(envText());
    const report = await runChecks({ loaded, environment: 'prod', only: ['env.required', 'env.secret-strength', 'env.cors-origins'], env: {} });
    expect(report.results.map((r) => [r.id, r.status]).sort()).toEqual([
      ['env.cors-origins', 'pass'],
      ['env.required', 'pass'],
      ['env.secret-strength', 'pass'],
    ]);
    const shown = JSON.stringify(report);
    for (const secret of [HEX64, HEX128, 'whsec_0123456789abcdef0123456789abcdef', HEX64.slice(0, 16)]) expect(shown).not.toContain(secret);
    const jwt = (report.results.find((r) => r.id === 'env.secret-strength')!.evidence.secrets as Record<string, { length: number; fingerprint: string }>).JWT_SECRET!;
    expect(jwt.length).toBe(128);
    expect(jwt.fingerprint).toMatch(/^[0-9a-f]{12}$/);
  });

  it('env.required fails on a missing variable and on ENVIRONMENT=staging', async () => {
    const missing = await result(stack(envText({ SENTRY_DSN: null })), 'env.required');
    expect(missing.status).toBe('fail');
    expect(missing.summary).toContain('SENTRY_DSN');
    const staging = await result(stack(envText({ ENVIRONMENT: 'staging' })), 'env.required');
    expect(staging.status).toBe('fail');
    expect(staging.summary).toMatch(/ENVIRONMENT must be "production" \(is "staging"\)/);
    const empty = await result(stack(envText({ STRIPE_WEBHOOK_SECRET: '' })), 'env.required');
    expect(empty.status).toBe('fail');
  });

  it('env.secret-strength fails on a short or non-hex secret and shows only lengths', async () => {
    const short = await result(stack(envText({ REFRESH_TOKEN_SECRET: 'tooshort-secret-31-characters!!' })), 'env.secret-strength');
    expect(short.status).toBe('fail');
    expect(short.summary).toContain('REFRESH_TOKEN_SECRET is 31 characters, needs at least 32');
    expect(JSON.stringify(short)).not.toContain('tooshort');
    const notHex = await result(stack(envText({ JWT_SECRET: 'z'.repeat(128) })), 'env.secret-strength');
    expect(notHex.status).toBe('fail');
    expect(notHex.summary).toContain('JWT_SECRET is not hexadecimal');
  });

  it('env.cors-origins fails on http, on an origin outside the allow-list and on a wildcard; accepts a JSON list', async () => {
    const http = await result(stack(envText({ CORS_ORIGINS: 'http://startinsight.app,https://www.startinsight.app' })), 'env.cors-origins');
    expect(http.status).toBe('fail');
    expect(http.evidence.notHttps).toEqual(['http://startinsight.app']);
    const outside = await result(stack(envText({ CORS_ORIGINS: 'https://startinsight.app,https://evil.example' })), 'env.cors-origins');
    expect(outside.status).toBe('fail');
    expect(outside.evidence.outsideAllowList).toEqual(['https://evil.example']);
    const star = await result(stack(envText({ CORS_ORIGINS: '*' })), 'env.cors-origins');
    expect(star.status).toBe('fail');
    const json = await result(stack(envText({ CORS_ORIGINS: '["https://startinsight.app","https://www.startinsight.app","https://app.startinsight.app"]' })), 'env.cors-origins');
    expect(json.status).toBe('pass');
    const partial = await result(stack(envText({ CORS_ORIGINS: 'https://startinsight.app' })), 'env.cors-origins');
    expect(partial.status).toBe('warn');
  });

  it('a missing env file is an error (unknown), not a pass', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'profile.yaml'), profileYaml({ envFile: 'nope.env' }));
    const r = await result(loadProfile(join(dir, 'profile.yaml'), { knownCheckIds: CHECK_IDS }), 'env.required');
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/cannot read the env file .*nope\.env: .*ENOENT/);
  });
});

describe('repo.no-alert over a checkout', () => {
  it('fails on alert( in .ts/.tsx under frontend/app and names file:line', async () => {
    const r = await result(
      stack(envText(), {
        'frontend/app/page.tsx': "import x from 'y';\n\nexport function f() {\n  alert('Failed to save');\n}\n",
        'frontend/app/lib/err.ts': 'export const g = () => window.alert("x");\n',
      }),
      'repo.no-alert',
    );
    expect(r.status).toBe('fail');
    expect(r.evidence.findingCount).toBe(2);
    expect(r.evidence.findings).toEqual(
      expect.arrayContaining([
        { file: 'frontend/app/page.tsx', line: 4, text: "alert('Failed to save');" },
        { file: 'frontend/app/lib/err.ts', line: 1, text: 'export const g = () => window.alert("x");' },
      ]),
    );
  });

  it('passes when alert( appears only in comments, other folders, other extensions or as a method of another object', async () => {
    const r = await result(
      stack(envText(), {
        'frontend/app/page.tsx': "// alert('old')\n/* alert(\n 'multi-line' ) */\ntoast.alert('fine');\nconst alerted = 1;\n",
        'frontend/components/x.tsx': "alert('outside frontend/app');\n",
        'frontend/app/legacy.js': "alert('not a .ts/.tsx file');\n",
        'frontend/app/node_modules/dep/index.ts': "alert('vendored');\n",
      }),
      'repo.no-alert',
    );
    expect(r.status).toBe('pass');
    expect(r.evidence.filesScanned).toBe(1);
  });

  it('fails when the folder does not exist (a wrong checkout path must not pass)', async () => {
    const r = await result(stack(envText(), { 'backend/main.py': 'x = 1\n' }), 'repo.no-alert');
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/frontend\/app does not exist/);
  });

  it('stripComments keeps line numbers and string contents', () => {
    const out = stripComments("a // x\n/* b\nc */ d\n'// not a comment'\n");
    expect(out.split('\n')).toEqual(['a ', '', ' d', "'// not a comment'", '']);
  });
});

describe('secrets.rotated against the fingerprints taken at checklist start', () => {
  it('is unknown before a walkthrough, fails until every secret changed, then passes', async () => {
    const store = new ChecksStore(join(tempDir(), 'store.sqlite'));
    const loaded = stack(envText());
    const envFile = join(loaded.file, '..', 'backend.env');
    try {
      expect((await result(loaded, 'secrets.rotated', store)).status).toBe('skipped');
      const checklist = profileYaml({ envFile: 'backend.env', repo: 'repo', checklist: 'checklist:\n  phases:\n    - { id: pre-deploy, title: Pre, steps: [ { id: rotate, title: Rotate, checks: [secrets.rotated] } ] }' });
      writeFileSync(loaded.file, checklist);
      const withChecklist = loadProfile(loaded.file, { knownCheckIds: CHECK_IDS });
      await startWalkthrough(store, withChecklist, 'prod', 'tester');
      const before = await result(withChecklist, 'secrets.rotated', store);
      expect(before.status).toBe('fail');
      expect(before.summary).toMatch(/3 of 3 secrets not rotated/);

      writeFileSync(envFile, envText({ REFRESH_TOKEN_SECRET: HEX64.replace('a1', 'ff'), JWT_SECRET: HEX128.replace('a1', 'ee') }));
      const partly = await result(withChecklist, 'secrets.rotated', store);
      expect(partly.status).toBe('fail');
      expect(partly.summary).toMatch(/1 of 3 secrets not rotated.*STRIPE_WEBHOOK_SECRET \(unchanged\)/);

      writeFileSync(envFile, envText({ REFRESH_TOKEN_SECRET: HEX64.replace('a1', 'ff'), JWT_SECRET: HEX128.replace('a1', 'ee'), STRIPE_WEBHOOK_SECRET: 'whsec_rotated_0000000000000000000000000' }));
      const rotated = await result(withChecklist, 'secrets.rotated', store);
      expect(rotated.status).toBe('pass');
      const rows = rotated.evidence.secrets as { baselineFingerprint: string; currentFingerprint: string }[];
      for (const row of rows) expect(row.baselineFingerprint).not.toBe(row.currentFingerprint);
      expect(JSON.stringify(rotated)).not.toContain('whsec_rotated');
    } finally {
      store.close();
    }
  });
});

describe('the shipped demo profile over its static fixtures', () => {
  it('passes env.* and repo.no-alert on demo/static-fixtures', async () => {
    const loaded = loadProfile(join(import.meta.dirname, '..', '..', 'profiles', 'demo.yaml'), { env: { DEMO_API_URL: 'http://127.0.0.1:9' }, knownCheckIds: CHECK_IDS });
    const report = await runChecks({ loaded, environment: 'local', only: ['env.required', 'env.secret-strength', 'env.cors-origins', 'repo.no-alert'], env: {} });
    expect(report.results.map((r) => `${r.id}:${r.status}`).sort()).toEqual(['env.cors-origins:pass', 'env.required:pass', 'env.secret-strength:pass', 'repo.no-alert:pass']);
    expect(report.results.find((r) => r.id === 'repo.no-alert')!.evidence.filesScanned).toBe(2);
  });
});

describe('repo probe without a checkout', () => {
  it('a missing checkout is an error (unknown), not a pass or a finding', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p.yaml'), profileYaml({ repo: 'no-such-checkout' }));
    const r = await result(loadProfile(join(dir, 'p.yaml'), { knownCheckIds: CHECK_IDS }), 'repo.no-alert');
    expect(r.status).toBe('error');
    expect(r.summary).toMatch(/cannot read the repository checkout .*no-such-checkout: ENOENT/);
  });
});
