/** Temp files for the checks tests: profiles, backend .env files and repo checkouts. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function tempDir(prefix = 'pf-checks-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes files (path → content) under `root`, creating folders. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

export const HEX64 = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
export const HEX128 = HEX64 + HEX64.split('').reverse().join('');

/** A backend .env that satisfies the StartInsight-like expectations; override or drop (null) lines. */
export function envText(overrides: Record<string, string | null> = {}): string {
  const base: Record<string, string> = {
    ENVIRONMENT: 'production',
    SENTRY_DSN: 'https://k@o0.ingest.sentry.io/1',
    REFRESH_TOKEN_SECRET: HEX64,
    JWT_SECRET: HEX128,
    STRIPE_WEBHOOK_SECRET: 'whsec_0123456789abcdef0123456789abcdef',
    CORS_ORIGINS: 'https://startinsight.app,https://www.startinsight.app,https://app.startinsight.app',
  };
  const merged = { ...base, ...overrides };
  return Object.entries(merged)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n') + '\n';
}

/** A minimal profile around one environment; `extra` is appended verbatim (YAML). */
export function profileYaml(options: { postgresEnvVar?: string; envFile?: string; repo?: string; expectations?: string; checklist?: string; readyAt?: number } = {}): string {
  const lines = [
    'version: 1',
    'name: test-stack',
    'environments:',
    '  - name: prod',
    '    kind: production',
    '    secrets:',
    `      db: { env: ${options.postgresEnvVar ?? 'TEST_DATABASE_URL'} }`,
    '    targets:',
    '      postgres: { url: { secret: db } }',
  ];
  if (options.envFile) lines.push(`    envFile: '${options.envFile}'`);
  if (options.repo) lines.push(`    repo: '${options.repo}'`);
  lines.push(`score: { readyAt: ${options.readyAt ?? 80} }`);
  lines.push('expectations:');
  lines.push(
    options.expectations ??
      [
        '  http:',
        '    cors: { allowedOrigins: [https://startinsight.app, https://www.startinsight.app, https://app.startinsight.app] }',
        '  envFile:',
        '    required: [ENVIRONMENT, SENTRY_DSN, REFRESH_TOKEN_SECRET, JWT_SECRET, STRIPE_WEBHOOK_SECRET, CORS_ORIGINS]',
        '    secrets: { REFRESH_TOKEN_SECRET: { minLength: 32 }, JWT_SECRET: { minLength: 128, format: hex } }',
        '    equals: { ENVIRONMENT: production }',
        '    corsVariable: CORS_ORIGINS',
        '    rotate: [REFRESH_TOKEN_SECRET, JWT_SECRET, STRIPE_WEBHOOK_SECRET]',
        '  repo:',
        '    rules:',
        "      - { id: no-alert, description: alert( call, under: frontend/app, extensions: [.ts, .tsx], pattern: '(?<![\\w$.])(?:window\\.)?alert\\s*\\(' }",
      ].join('\n'),
  );
  if (options.checklist) lines.push(options.checklist);
  return lines.join('\n') + '\n';
}
