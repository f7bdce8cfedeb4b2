import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStartInsightSchema } from '../../demo/startinsight-schema';
import { runCli, PROJECT_ROOT } from '../harness/cli';
import { freshDatabase } from '../harness';

let url: string;
let dataDir: string;
const env = () => ({ PREFLIGHT_DATA_DIR: dataDir });
const audit = () => readFileSync(join(dataDir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  ({ url } = await freshDatabase('migcli'));
  await createStartInsightSchema(url, { interactions: 2_000, alembicRevision: 'b009_previous' });
  dataDir = mkdtempSync(join(tmpdir(), 'pf-data-'));
});

/** Runs the CLI on a pseudo-terminal (util-linux `script`) and answers the prompt when it appears. */
function runOnTty(args: string[], answer: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const cmd = ['node', join(PROJECT_ROOT, 'bin', 'preflight.mjs'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: PROJECT_ROOT, env: { ...process.env, ...env() } });
    let output = '';
    let answered = false;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (!answered && output.includes(' to continue: ')) {
        answered = true;
        child.stdin.write(`${answer}\n`);
      }
    });
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

describe('preflight migrate (CLI)', () => {
  it('status shows pending files and the Alembic revision; plan shows SQL, skips and reasons', async () => {
    const status = await runCli(['migrate', 'status', '--url', url, '--json'], { env: env() });
    expect(status.code).toBe(0);
    const doc = JSON.parse(status.stdout);
    expect(doc.alembicRevision).toBe('b009_previous');
    expect(doc.historyExists).toBe(false);
    expect(doc.migrations).toMatchObject([{ version: '0001', name: 'production_indexes', state: 'pending' }]);

    const plan = await runCli(['migrate', 'plan', '--url', url, '--json'], { env: env() });
    expect(plan.code).toBe(0);
    const p = JSON.parse(plan.stdout);
    const statements = p.files[0].statements as { sql: string; action: string; reason: string | null }[];
    expect(statements).toHaveLength(13);
    expect(statements.find((s) => s.sql.includes('idx_insights_source'))).toMatchObject({ action: 'skip', reason: 'column insights.source does not exist' });
    expect(statements.filter((s) => s.action === 'run')).toHaveLength(11);
    expect(p.lint).toEqual([]);
    const human = await runCli(['migrate', 'plan', '--url', url], { env: env() });
    expect(human.stdout).toContain('-- SKIP: CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_insights_source ON insights (source);');
  });

  it('apply refuses without --yes when stdin is not a terminal and applies nothing', async () => {
    const r = await runCli(['migrate', 'apply', '--url', url], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin is not a terminal.*--yes/);
    const status = JSON.parse((await runCli(['migrate', 'status', '--url', url, '--json'], { env: env() })).stdout);
    expect(status.pending).toBe(1);
  });

  it('apply --yes on production also needs the environment typed back (--confirm-environment): --yes alone or a wrong name applies nothing and is audited', async () => {
    const alone = await runCli(['migrate', 'apply', '--url', url, '--env', 'production', '--yes'], { env: env() });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--confirm-environment with the production environment\'s name "production"');
    expect(audit().at(-1)).toMatchObject({ action: 'migrate.apply', environment: 'production', outcome: 'refused', details: { reason: '--confirm-environment missing' } });
    const wrong = await runCli(['migrate', 'apply', '--url', url, '--env', 'production', '--yes', '--confirm-environment', 'Production'], { env: env() });
    expect(wrong.code).toBe(2);
    // Not "with --yes alone": the name was given, and differs.
    expect(wrong.stderr).toContain('--confirm-environment "Production" does not match the production environment\'s name "production"');
    expect(audit().at(-1)).toMatchObject({ outcome: 'refused', details: { reason: '--confirm-environment did not match' } });
    const status = JSON.parse((await runCli(['migrate', 'status', '--url', url, '--json'], { env: env() })).stdout);
    expect(status.pending).toBe(1);
  });

  it('apply on a terminal asks for the host outside production and for the name on production: a wrong answer applies nothing, the right one applies', async () => {
    const host = new URL(url).host;
    const staging = await runOnTty(['migrate', 'apply', '--url', url, '--env', 'staging'], 'staging');
    expect(staging.output).toContain(`Type the host "${host}" to continue`);
    expect(staging.code).toBe(2);
    expect(staging.output).toContain('The host did not match; nothing was applied');

    const wrong = await runOnTty(['migrate', 'apply', '--url', url, '--env', 'production'], 'prod');
    expect(wrong.output).toContain(`Type the production environment's name "production" to continue`);
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain('The environment name did not match; nothing was applied');
    expect(audit().at(-1)).toMatchObject({ action: 'migrate.apply', environment: 'production', outcome: 'refused' });

    const right = await runOnTty(['migrate', 'apply', '--url', url, '--env', 'production'], 'production');
    expect(right.code).toBe(0);
    expect(right.output).toContain('skipped: column insights.source does not exist');
    const [started, entry] = audit().slice(-2) as [Record<string, { runId?: string }>, Record<string, unknown>];
    expect(started).toMatchObject({ action: 'migrate.apply', environment: 'production', outcome: 'started', details: { files: ['0001'] } });
    expect(entry).toMatchObject({ action: 'migrate.apply', environment: 'production', outcome: 'succeeded', details: { runId: started.details!.runId } });
    expect((entry.details as { files: { ran: number; skipped: number }[] }).files[0]).toMatchObject({ ran: 11, skipped: 2 });

    const verify = await runCli(['migrate', 'verify', '--url', url, '--json'], { env: env() });
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, checkedIndexes: 11, problems: [] });
    const again = await runCli(['migrate', 'apply', '--url', url, '--yes', '--json'], { env: env() });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).outcome).toBe('nothing_to_do');
  });

  it('verify fails when an index an applied migration created was dropped', async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query('DROP INDEX idx_interactions_type');
      const verify = await runCli(['migrate', 'verify', '--url', url, '--json'], { env: env() });
      expect(verify.code).toBe(1);
      expect(JSON.parse(verify.stdout).problems).toEqual([expect.objectContaining({ kind: 'index_missing', version: '0001' })]);
      const indexes = await runCli(['pg', 'indexes', '--url', url, '--expect', join(PROJECT_ROOT, 'profiles', 'startinsight-indexes.yaml'), '--json']);
      expect(JSON.parse(indexes.stdout).indexes.find((v: { name: string }) => v.name === 'idx_interactions_type').status).toBe('missing');
    } finally {
      await c.end();
    }
  });

  it('an edited applied file makes status, plan, apply and verify stop with exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-edit-'));
    const original = readFileSync(join(PROJECT_ROOT, 'migrations', '0001_production_indexes.sql'), 'utf8');
    writeFileSync(join(dir, '0001_production_indexes.sql'), `${original}\n-- an innocent-looking edit\n`);
    for (const verb of ['status', 'plan', 'apply', 'verify']) {
      const r = await runCli(['migrate', verb, '--url', url, '--dir', dir, ...(verb === 'apply' ? ['--yes'] : verb === 'verify' ? ['--json'] : [])], { env: env() });
      expect(r.code, verb).toBe(1);
      const said = verb === 'verify' ? JSON.parse(r.stdout ?? '{}').problems?.[0]?.message ?? '' : r.stderr;
      expect(said, verb).toContain('0001_production_indexes.sql');
      expect(said, verb).toMatch(/edited|changed after it was applied/);
    }
  });

  it('a failed apply is audited as started, then failed, both when the build fails and when the run cannot start', async () => {
    const { url: failUrl } = await freshDatabase('migclifail');
    const c = new pg.Client({ connectionString: failUrl });
    await c.connect();
    const locker = new pg.Client({ connectionString: failUrl });
    await locker.connect();
    try {
      await c.query(`CREATE TABLE accounts (id int, email text); INSERT INTO accounts VALUES (1, 'a@x'), (2, 'a@x')`);
      const dir = mkdtempSync(join(tmpdir(), 'mig-fail-'));
      writeFileSync(join(dir, '0001_unique_email.sql'), '-- preflight:no-transaction\n-- preflight:lock-timeout 5s\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx_accounts_email ON accounts (email);');
      const failed = await runCli(['migrate', 'apply', '--url', failUrl, '--dir', dir, '--env', 'staging', '--yes', '--json'], { env: env() });
      expect(failed.code).toBe(1);
      const [started, outcome] = audit().slice(-2) as Record<string, { runId?: string }>[];
      expect(started).toMatchObject({ action: 'migrate.apply', environment: 'staging', outcome: 'started' });
      expect(outcome).toMatchObject({ action: 'migrate.apply', environment: 'staging', outcome: 'failed', details: { runId: started!.details!.runId, error: expect.stringMatching(/SQLSTATE 23505/) } });
      expect(JSON.parse(failed.stdout).runId).toBe(started!.details!.runId);

      // Another run holds the migration lock: the run is stopped after it started, so it failed.
      await locker.query('SELECT pg_advisory_lock($1, $2)', [0x70726566, 0x6d696772]);
      const locked = await runCli(['migrate', 'apply', '--url', failUrl, '--dir', dir, '--env', 'staging', '--yes'], { env: env() });
      expect(locked.code).toBe(1);
      expect(audit().slice(-2)).toMatchObject([
        { outcome: 'started', environment: 'staging' },
        { outcome: 'failed', environment: 'staging', details: { stoppedBy: 'migration-lock-held' } },
      ]);
    } finally {
      await locker.end();
      await c.end();
    }
  });

  it('bad usage: a missing directory and a bad duration exit 2 with a sentence', async () => {
    const r = await runCli(['migrate', 'plan', '--url', url, '--dir', '/nonexistent/migrations'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot read migrations directory /nonexistent/migrations');
    const d = await runCli(['migrate', 'apply', '--url', url, '--lock-timeout', 'soon', '--yes'], { env: env() });
    expect(d.code).toBe(2);
    const down = await runCli(['migrate', 'status', '--url', 'postgres://postgres@127.0.0.1:1/x'], { env: env() });
    expect(down.code).toBe(3);
  });
});
