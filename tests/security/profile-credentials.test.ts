/**
 * A profile never holds a credential: every URL in it is parsed, and one with a password or a
 * credential-like query parameter is refused with its line, whatever field or target kind it is
 * in. Errors about a profile never quote a secret, through the CLI or the bridge.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dispatchCall, unwrap } from '../../shared/dispatch';
import { createEngine } from '../../electron/core/api/engine';
import { CHECK_IDS } from '../../electron/core/checks/catalogue';
import { parseProfile, ProfileError } from '../../electron/core/profile/load';
import { tempDir } from '../checks/fixtures';
import { runCli } from '../harness/cli';

const HEAD = ['version: 1', 'name: s', 'environments:', '  - name: prod', '    kind: production'];

function refusal(lines: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    parseProfile([...HEAD, ...lines, ''].join('\n'), 'p.yaml', { env, knownCheckIds: CHECK_IDS });
  } catch (err) {
    expect(err).toBeInstanceOf(ProfileError);
    return err as ProfileError;
  }
  throw new Error('expected the profile to be refused');
}

describe('credentials written into a profile are refused by parsing', () => {
  // [what, YAML lines after the environment head, the secret, line, field]
  const cases: [string, string[], string, number, string][] = [
    ['a postgres password with a slash', ['    targets:', '      postgres: { url: "postgres://app:Ab/SlashPw1@db:5432/prod" }'], 'SlashPw1', 7, 'environments[0].targets.postgres.url'],
    ['a redis password with an empty user', ['    targets:', '      redis: { url: "redis://:RedisPw2@cache:6379" }'], 'RedisPw2', 7, 'environments[0].targets.redis.url'],
    ['a ?password= parameter', ['    targets:', '      postgres: { url: "postgres://db/prod?sslmode=require&password=QueryPw3" }'], 'QueryPw3', 7, 'environments[0].targets.postgres.url'],
    ['an sslpassword parameter', ['    targets:', '      postgres: { url: "postgresql://app@db/prod?sslpassword=SslPw4" }'], 'SslPw4', 7, 'environments[0].targets.postgres.url'],
    ['an API URL with user:pw@', ['    targets:', '      api: { baseUrl: "https://ann:ApiPw5@api.example.com" }'], 'ApiPw5', 7, 'environments[0].targets.api.baseUrl'],
    ['an API URL with ?access_token=', ['    targets:', '      api: { baseUrl: "https://api.example.com/v1?access_token=ApiTok6" }'], 'ApiTok6', 7, 'environments[0].targets.api.baseUrl'],
    ['a libpq keyword string with a password', ['    targets:', '      postgres: { url: "host=db user=app password=ConnPw7 dbname=x" }'], 'ConnPw7', 7, 'environments[0].targets.postgres.url'],
    ['a URL in a description', ['    description: "old DSN postgres://u:DescPw8@h/db, do not use"'], 'DescPw8', 6, 'environments[0].description'],
    ['an @ inside the password', ['    targets:', '      postgres: { url: "postgres://app:p@ss@AtPw9@db/prod" }'], 'AtPw9', 7, 'environments[0].targets.postgres.url'],
  ];
  for (const [what, lines, secret, line, field] of cases) {
    it(`refuses ${what} at its line, without quoting it`, () => {
      const err = refusal(lines);
      expect(err.issues).toHaveLength(1);
      expect(err.issues[0]).toMatchObject({ line, field });
      expect(err.message).toMatch(/credential/);
      expect(err.message).not.toContain(secret);
    });
  }

  it('refuses a credential that ${VAR} interpolation filled in, naming the variable, not the value', () => {
    const err = refusal(['    targets:', "      api: { baseUrl: '${API_URL}' }"], { API_URL: 'https://ops:EnvPw10@api.example.com' });
    expect(err.issues[0]).toMatchObject({ line: 7, field: 'environments[0].targets.api.baseUrl' });
    expect(err.message).toContain('${API_URL}');
    expect(err.message).not.toContain('EnvPw10');
  });

  it('accepts secrets by name, URLs without credentials, key files and regular expressions', () => {
    const text = [
      ...HEAD,
      '    secrets:',
      '      db: { env: DATABASE_URL }',
      '    targets:',
      '      postgres: { url: { secret: db } }',
      '      redis: { url: "rediss://default@cache.example:6380?ssl_cert_reqs=required" }',
      '      api: { baseUrl: "https://api.example.com:8443" }',
      '  - name: stage',
      '    kind: staging',
      '    targets:',
      '      postgres: { url: "postgres://app@db/x?sslmode=verify-full&sslkey=/keys/client.key&sslrootcert=/keys/ca.pem" }',
      'expectations:',
      '  repo:',
      '    rules:',
      '      - { id: no-dsn, description: no DSN with a password, under: src, extensions: [.py], pattern: "postgres://[^:]+:[^@]+@" }',
      '',
    ].join('\n');
    expect(() => parseProfile(text, 'p.yaml', { env: {}, knownCheckIds: CHECK_IDS })).not.toThrow();
  });

  it('a schema error never quotes a value taken from the environment', () => {
    const err = refusal(["    description: x", "    envFile: ''", "    repo: '${REPO_DIR}'", '    targets:', "      api: { baseUrl: '${API_BASE}' }"], { REPO_DIR: '/r', API_BASE: 'ftp-tok_NotAUrlSecret11' });
    const issue = err.issues.find((i) => i.field === 'environments[0].targets.api.baseUrl');
    expect(issue?.message).toMatch(/the value of \$\{API_BASE\} \(23 characters, not shown\)/);
    expect(err.message).not.toContain('NotAUrlSecret11');
  });
});

describe('profile errors through every face', () => {
  const dir = tempDir('pf-profiles-');
  mkdirSync(dir, { recursive: true });
  // A schema error whose quoted value is a URL with a password (a literal one would be refused first, so it is in a list).
  writeFileSync(join(dir, 'leaky.yaml'), [...HEAD, '    targets:', "      api: { baseUrl: '${LEAKY_API}' }", ''].join('\n'));
  const saved = { dir: process.env.PREFLIGHT_PROFILES_DIR, api: process.env.LEAKY_API };
  process.env.PREFLIGHT_PROFILES_DIR = dir;
  process.env.LEAKY_API = 'postgres://app:BridgePw12@db.internal:5432/prod';
  afterAll(() => {
    for (const [k, v] of [['PREFLIGHT_PROFILES_DIR', saved.dir], ['LEAKY_API', saved.api]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('checks.profiles over the bridge lists the broken profile with its line, never the password', async () => {
    const engine = createEngine({ transport: 'http', version: 'test' });
    try {
      const profiles = unwrap(await dispatchCall(engine.handlers, 'checks.profiles', {})) as { profile: string; error: string | null }[];
      const leaky = profiles.find((p) => p.profile === 'leaky');
      expect(leaky?.error).toMatch(/leaky\.yaml:7:\d+ environments\[0\]\.targets\.api\.baseUrl: .*\$\{LEAKY_API\}/);
      expect(JSON.stringify(profiles)).not.toContain('BridgePw12');
    } finally {
      await engine.close();
    }
  });

  it('the CLI prints the same refusal and exits 2', async () => {
    const cli = await runCli(['check', '--profile', join(dir, 'leaky.yaml'), '--env', 'prod', '--json'], { env: { LEAKY_API: 'postgres://app:BridgePw12@db.internal:5432/prod' } });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('${LEAKY_API}');
    expect(cli.stdout + cli.stderr).not.toContain('BridgePw12');
  });
});
