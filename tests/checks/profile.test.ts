import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, CHECK_IDS } from '../../electron/core/checks/catalogue';
import { loadProfile, parseProfile, ProfileError } from '../../electron/core/profile/load';
import { PROJECT_ROOT } from '../harness/cli';

const ISSUE_IDS = [
  'health.basic', 'health.live', 'health.ready', 'health.ready-consistent', 'request-id.generated', 'request-id.echoed',
  'cors.allowlist', 'webhook.signature', 'errors.no-leak', 'ratelimit.list-insights', 'ratelimit.xff-bypass', 'sse.connection-hold',
  'pg.pool-utilization', 'pg.idle-in-transaction', 'pg.lock-waits', 'pg.indexes', 'pg.migrations-applied', 'redis.hit-rate',
  'redis.memory', 'redis.evictions', 'env.required', 'env.secret-strength', 'env.cors-origins', 'repo.no-alert', 'secrets.rotated',
];
/** Checks beyond the issue's list: issue 4's rejected connections, issue 5's security headers and TLS expiry. */
const EXTRA_IDS = ['redis.rejected-connections', 'security.headers', 'tls.expiry'];

function issuesOf(text: string, env: NodeJS.ProcessEnv = {}) {
  try {
    parseProfile(text, 'bad.yaml', { env, knownCheckIds: CHECK_IDS });
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return (err as ProfileError).issues;
  }
  throw new Error('expected the profile to be rejected');
}

const GOOD_HEAD = ['version: 1', 'name: s', 'environments:', '  - name: prod', '    kind: production'];

describe('profile errors name the file, line and field', () => {
  it('a wrong enum value points at its line and says what was expected', () => {
    const text = ['version: 1', 'name: s', 'environments:', '  - name: prod', '    kind: prodction', ''].join('\n');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ line: 5, field: 'environments[0].kind' });
    expect(issue!.message).toMatch(/production.*staging.*dev/);
    expect(issue!.message).toContain('prodction');
  });

  it('a misspelt key points at the key itself', () => {
    const text = [...GOOD_HEAD, 'expectations:', '  postgres:', '    maxConections: 500', ''].join('\n');
    const issues = issuesOf(text);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 8, column: 5, field: 'expectations.postgres.maxConections' });
    expect(issues[0]!.message).toMatch(/unexpected key/);
  });

  it('a missing required field points at its parent and says it is required', () => {
    const text = ['version: 1', 'name: s', 'environments:', '  - name: prod', ''].join('\n');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ line: 4, field: 'environments[0].kind' });
    expect(issue!.message).toMatch(/^required/);
  });

  it('an unknown check id in a checklist step points at that list item', () => {
    const text = [...GOOD_HEAD, 'checklist:', '  phases:', '    - id: pre-deploy', '      title: Pre', '      steps:', '        - id: a', '          title: A', '          checks: [env.required, pg.pool-utilisation]', ''].join('\n');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ line: 13, field: 'checklist.phases[0].steps[0].checks[1]' });
    expect(issue!.message).toContain('pg.pool-utilisation');
  });

  it('a ${VAR} that is not set points at its line and field', () => {
    const text = [...GOOD_HEAD, '    targets:', "      api: { baseUrl: '${NOT_SET_API}' }", ''].join('\n');
    const [issue] = issuesOf(text, {});
    expect(issue).toMatchObject({ line: 7, field: 'environments[0].targets.api.baseUrl' });
    expect(issue!.message).toContain('NOT_SET_API');
  });

  it('interpolates ${VAR} and ${VAR:-default}', () => {
    const text = [...GOOD_HEAD, "    envFile: '${ENV_FILE:-/tmp/x.env}'", '    targets:', "      api: { baseUrl: '${API}/v1' }", ''].join('\n');
    const profile = parseProfile(text, 'ok.yaml', { env: { API: 'http://127.0.0.1:8080' } });
    expect(profile.environments[0]!.targets.api!.baseUrl).toBe('http://127.0.0.1:8080/v1');
    expect(profile.environments[0]!.envFile).toBe('/tmp/x.env');
  });

  it('a password written into a target URL is refused', () => {
    const text = [...GOOD_HEAD, '    targets:', '      postgres: { url: "postgres://app:hunter2@db:5432/x" }', ''].join('\n');
    const [issue] = issuesOf(text);
    expect(issue).toMatchObject({ line: 7, field: 'environments[0].targets.postgres.url' });
    expect(issue!.message).toMatch(/password/);
    expect(issue!.message).not.toContain('hunter2');
  });

  it('a YAML syntax error reports its line', () => {
    const text = [...GOOD_HEAD, '    description: a: b', '  - name: other', ''].join('\n');
    const issues = issuesOf(text);
    expect(issues[0]!.line).toBe(6);
    expect(issues[0]!.message).toMatch(/YAML syntax/);
  });

  it('an unreadable file is a ProfileError naming the file', () => {
    expect(() => loadProfile('/nonexistent/p.yaml')).toThrow(/p\.yaml.*cannot read/);
  });
});

describe('shipped profiles', () => {
  it('the catalogue has every id of the issue, each with title, category, severity and fix', () => {
    // Every id of the issue and the later ones stays; a new check module adds to the list without editing this test.
    expect([...CHECK_IDS]).toEqual(expect.arrayContaining([...ISSUE_IDS, ...EXTRA_IDS]));
    for (const c of CATALOGUE) {
      expect(c.title.length).toBeGreaterThan(5);
      expect(c.fix.length).toBeGreaterThan(5);
      expect(['security', 'infrastructure', 'performance']).toContain(c.category);
      expect(['critical', 'high', 'medium', 'low']).toContain(c.severity);
    }
  });

  it('startinsight.yaml loads and binds every catalogue id somewhere in its checklist or fixes', () => {
    const { profile } = loadProfile(join(PROJECT_ROOT, 'profiles', 'startinsight.yaml'), { env: {}, knownCheckIds: CHECK_IDS });
    const bound = new Set([...(profile.checklist?.phases ?? []).flatMap((p) => p.steps.flatMap((s) => s.checks)), ...profile.fixes.flatMap((f) => f.verifiedBy)]);
    for (const id of ISSUE_IDS) expect(bound, id).toContain(id);
    expect(profile.checklist!.phases.map((p) => p.id)).toEqual(['pre-deploy', 'deploy', 'first-24h']);
    const sources = profile.checklist!.phases.flatMap((p) => p.steps.map((s) => s.source ?? ''));
    for (let i = 1; i <= 6; i++) expect(sources).toContain(`pre-deploy ${i}`);
    for (let i = 1; i <= 9; i++) expect(sources).toContain(`verification ${i}`);
    expect(sources).toContain('deploy 1');
    expect(sources).toContain('deploy 2');
    expect(sources.filter((s) => s === 'first 24 hours')).toHaveLength(6);
    expect(profile.expectations.postgres!.indexes).toHaveLength(13);
    expect(profile.expectations.postgres!.indexes.find((i) => i.name === 'idx_insights_source')!.optional).toBe(true);
    expect(profile.expectations.postgres!.maxConnectionsAtLeast).toBe(500);
    expect(profile.expectations.http!.cors!.allowedOrigins).toHaveLength(3);
    expect(profile.expectations.envFile!.required).toHaveLength(12);
    expect(profile.environments.map((e) => e.kind)).toEqual(['production', 'staging']);
  });

  it('demo.yaml loads once the demo has exported its URLs', () => {
    const { profile } = loadProfile(join(PROJECT_ROOT, 'profiles', 'demo.yaml'), { env: { DEMO_API_URL: 'http://127.0.0.1:4321' }, knownCheckIds: CHECK_IDS });
    expect(profile.environments[0]!.targets.api!.baseUrl).toBe('http://127.0.0.1:4321');
    expect(() => loadProfile(join(PROJECT_ROOT, 'profiles', 'demo.yaml'), { env: {} })).toThrow(/DEMO_API_URL/);
  });
});
