import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { auditApplyError, auditApplyRefused, auditApplyResult, auditApplyStarted } from '../../core/migrations/apply-audit';
import { applyMigrations, buildPlan, ChecksumMismatchError, LintBlockedError, loadMigrations, MigrationFileError, MigrationLockedError, readMigrationStatus, verifyMigrations, type MigrationFile } from '../../core/migrations';
import { TargetUnreachableError } from '../../core/probes/postgres';
import { maskUrl } from '../../core/util/redact';
import { confirmationMatches, describeConfirmation, type TypedConfirmation } from '../../../shared/schemas/confirmation';
import { flagConfirmationFor, typedConfirmationFor } from '../../core/consent/typed-confirmation';
import { CliError, EXIT } from '../exit-codes';
import { info, printJson, printTable } from '../output';
import { commaList, durationMs, positiveInt, postgresUrl } from '../options';
import { withProbe } from '../postgres-probe';
import type { MigrationPlan } from '../../../shared/schemas/migrations';
import { commandSummary } from '../command-summaries';

/** lock_timeout / statement_timeout: a unit is required, as Postgres reads a bare number as milliseconds. */
const timeoutDuration = durationMs({ min: 1, unitRequired: true });

interface CommonOpts {
  url: string;
  dir: string;
  json?: boolean;
}

function load(dir: string): MigrationFile[] {
  try {
    return loadMigrations(resolve(dir));
  } catch (err) {
    if (err instanceof MigrationFileError) throw new CliError(err.message, EXIT.usage, err.code);
    throw err;
  }
}

/** Maps engine errors to a sentence and an exit code. */
function mapped(err: unknown): never {
  if (err instanceof ChecksumMismatchError || err instanceof LintBlockedError || err instanceof MigrationLockedError) throw new CliError(err.message, EXIT.checkFailed);
  if (err instanceof TargetUnreachableError) throw new CliError(`Postgres unreachable: ${err.message}`, EXIT.unreachable);
  throw err;
}

function withCommon(cmd: Command): Command {
  return cmd
    .requiredOption('--url <postgres-url>', 'target database', postgresUrl)
    .option('--dir <path>', 'directory of NNNN_name.sql files', 'migrations')
    .option('--json', 'print one JSON document on stdout');
}

function printPlan(plan: MigrationPlan): void {
  if (!plan.files.length) process.stdout.write('Nothing pending.\n');
  for (const f of plan.files) {
    process.stdout.write(`\n== ${f.fileName} (${f.transactional ? 'one transaction' : 'no transaction: each statement on its own'}; lock_timeout ${f.lockTimeoutMs} ms, statement_timeout ${f.statementTimeoutMs} ms)\n`);
    for (const s of f.statements) {
      process.stdout.write(`${s.action === 'skip' ? '-- SKIP: ' : ''}${s.sql};${s.reason ? `\n   -- ${s.action === 'skip' ? 'why' : 'note'}: ${s.reason}` : ''}\n`);
    }
  }
  if (plan.lint.length) {
    process.stdout.write('\nLint findings (block apply unless --ack-lint <rule,…>):\n');
    for (const l of plan.lint) process.stdout.write(`  ${l.file}:${l.line} [${l.rule}] ${l.message}\n`);
  }
  if (plan.openTransactions.length) {
    process.stdout.write('\nOpen transactions a CREATE INDEX CONCURRENTLY would wait for:\n');
    printTable(plan.openTransactions.map((t) => ({ ...t, age: `${t.ageSeconds.toFixed(1)} s` })), ['pid', 'application', 'state', 'age', 'query']);
  }
  if (plan.alembicRevision) process.stdout.write(`\nAlembic revision: ${plan.alembicRevision}\n`);
}

/** The terminal prompt asks for what the typed-confirmation rule wants (the page's dialog and the active probes ask the same). */
async function askConfirmation(expected: TypedConfirmation, environment: string, target: string, pending: number): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new CliError(`Refusing to apply without confirmation: stdin is not a terminal, so ${describeConfirmation(expected)} cannot be typed. Re-run in a terminal, or pass --yes to confirm environment "${environment}" non-interactively.`, EXIT.usage);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((done) => rl.question(`About to apply ${pending} migration${pending > 1 ? 's' : ''} to ${target} (environment "${environment}").\nType ${describeConfirmation(expected)} to continue: `, done));
    return confirmationMatches(expected, answer);
  } finally {
    rl.close();
  }
}

export function migrateCommand(): Command {
  const migrate = new Command('migrate').description(commandSummary('migrate'));

  withCommon(migrate.command('status').description('applied and pending migrations, checksum state, Alembic revision'))
    .addHelpText('after', '\nExit codes: 0 read, 1 an applied file was edited (checksum mismatch), 2 bad usage, 3 unreachable.')
    .action(async (opts: CommonOpts) => {
      const files = load(opts.dir);
      const status = await withProbe(opts.url, (c) => readMigrationStatus(c, files), 'reader').catch(mapped);
      if (opts.json) printJson(status);
      else {
        printTable(status.migrations.map((m) => ({ ...m, sha256: m.sha256?.slice(0, 12) ?? null })), ['version', 'name', 'state', 'sha256', 'appliedAt', 'appliedBy', 'durationMs']);
        info(`${status.pending} pending; history in ${status.historyTable}${status.historyExists ? '' : ' (not created yet)'}; Alembic revision: ${status.alembicRevision ?? 'no alembic_version table'}`);
        if (status.outOfOrder.length) info(`Out of order: ${status.outOfOrder.join(', ')} ${status.outOfOrder.length > 1 ? 'are' : 'is'} pending but numbered below a migration already applied; apply runs ${status.outOfOrder.length > 1 ? 'them' : 'it'} now, after the newer ones. Check it does not depend on running earlier.`);
      }
      if (status.mismatches.length) throw new CliError(new ChecksumMismatchError(status.mismatches).message.replace(/ Nothing was run\.$/, ''), EXIT.checkFailed);
    });

  withCommon(migrate.command('plan').description('the exact SQL of pending files, what is skipped and why, lint findings, open transactions'))
    .action(async (opts: CommonOpts) => {
      const files = load(opts.dir);
      const plan = await withProbe(opts.url, (c) => buildPlan(c, files), 'reader').catch(mapped);
      if (opts.json) printJson(plan);
      else printPlan(plan);
    });

  withCommon(migrate.command('apply').description('apply pending migrations (asks for the environment name on production, else the host, unless --yes)'))
    .option('--yes', 'do not ask (for CI); on a production environment also needs --confirm-environment, on a non-loopback host with no --env --confirm-host')
    .option('--confirm-environment <name>', 'with --yes on a production environment: type its name back')
    .option('--confirm-host <host>', 'with --yes on a non-loopback host and no --env: type the host (host:port as in --url) back')
    .option('--env <name>', 'environment name to confirm and record in the audit log (default: the database name)')
    .option('--ack-lint <rules>', 'acknowledge lint findings by rule id (comma-separated) or "all"', commaList)
    .option('--wait-lock <seconds>', 'wait this long for another run to release the migration lock (default: stop at once)', positiveInt)
    .option('--lock-timeout <duration>', 'lock_timeout per statement, overriding the file (e.g. 5s)', timeoutDuration)
    .option('--statement-timeout <duration>', 'statement_timeout per statement, overriding the file (e.g. 30min)', timeoutDuration)
    .option('--max-attempts <n>', 'attempts per statement on lock timeout (capped, jittered backoff)', positiveInt)
    .addHelpText('after', '\nExit codes: 0 applied (or nothing to do), 1 failed / lint blocked / locked / checksum mismatch, 2 bad usage or not confirmed, 3 unreachable.')
    .action(async (opts: CommonOpts & { yes?: boolean; confirmEnvironment?: string; confirmHost?: string; env?: string; ackLint?: string[]; waitLock?: number; lockTimeout?: number; statementTimeout?: number; maxAttempts?: number }) => {
      const files = load(opts.dir);
      const environment = opts.env ?? decodeURIComponent(new URL(opts.url).pathname.slice(1) || 'postgres');
      const status = await withProbe(opts.url, (c) => readMigrationStatus(c, files), 'reader').catch(mapped);
      if (status.mismatches.length) throw new CliError(new ChecksumMismatchError(status.mismatches).message, EXIT.checkFailed);
      if (opts.yes && status.pending > 0) {
        // The flags' rule, as for active probes: --yes alone never confirms production.
        const expected = flagConfirmationFor({ environment, host: new URL(opts.url).host, environmentNamed: opts.env !== undefined });
        const typed = expected?.what === 'environment' ? opts.confirmEnvironment : opts.confirmHost;
        if (expected && !confirmationMatches(expected, typed)) {
          const flag = expected.what === 'environment' ? '--confirm-environment' : '--confirm-host';
          auditApplyRefused({ target: opts.url, environment }, `${flag} ${typed === undefined ? 'missing' : 'did not match'}`);
          const why = typed === undefined ? `Refusing to apply with --yes alone: pass ${flag} with ${describeConfirmation(expected)}` : `${flag} "${typed}" does not match ${describeConfirmation(expected)} (type it exactly)`;
          throw new CliError(`${why}; nothing was applied.`, EXIT.usage);
        }
      }
      if (!opts.yes && status.pending > 0) {
        const expected = typedConfirmationFor({ environment, host: new URL(opts.url).host });
        const ok = await askConfirmation(expected, environment, maskUrl(opts.url), status.pending);
        if (!ok) {
          const what = expected.what === 'environment' ? 'environment name' : 'host';
          auditApplyRefused({ target: opts.url, environment }, `${what} not confirmed`);
          throw new CliError(`The ${what} did not match; nothing was applied.`, EXIT.usage);
        }
      }
      const controller = new AbortController();
      const onSigint = () => {
        info('Cancelling: the running statement is cancelled and any INVALID index it left is dropped…');
        controller.abort();
      };
      process.once('SIGINT', onSigint);
      const audit = { target: opts.url, environment, runId: randomUUID() };
      // On record before the writer connection opens: a run that dies half-way still left a trace.
      auditApplyStarted(audit, files);
      try {
        const result = await applyMigrations(opts.url, files, {
          runId: audit.runId,
          ackLint: opts.ackLint,
          waitLockMs: (opts.waitLock ?? 0) * 1000,
          lockTimeoutMs: opts.lockTimeout,
          statementTimeoutMs: opts.statementTimeout,
          retry: opts.maxAttempts ? { maxAttempts: opts.maxAttempts, baseDelayMs: 500, maxDelayMs: 10_000 } : undefined,
          signal: controller.signal,
          onEvent: opts.json ? undefined : (e) => info(`[${e.kind}]${e.version ? ` ${e.version}` : ''}${e.statement !== null ? ` #${e.statement}` : ''} ${e.message}`),
        });
        auditApplyResult(audit, result);
        if (opts.json) printJson(result);
        else info(result.outcome === 'succeeded' ? `Applied ${result.files.length} migration(s) in ${(result.durationMs / 1000).toFixed(1)} s.` : result.outcome === 'nothing_to_do' ? 'Nothing to apply.' : `Stopped: ${result.error}`);
        if (result.outcome === 'failed' || result.outcome === 'cancelled') process.exitCode = EXIT.checkFailed;
      } catch (err) {
        auditApplyError(audit, err);
        if (err instanceof LintBlockedError && opts.json) printJson({ outcome: 'refused', error: err.message, lint: err.findings });
        mapped(err);
      } finally {
        process.removeListener('SIGINT', onSigint);
      }
    });

  withCommon(migrate.command('verify').description('applied files unchanged, nothing pending, every index they created exists and is valid'))
    .addHelpText('after', '\nExit codes: 0 verified, 1 a problem was found, 2 bad usage, 3 unreachable.')
    .action(async (opts: CommonOpts) => {
      const files = load(opts.dir);
      const result = await withProbe(opts.url, (c) => verifyMigrations(c, files), 'reader').catch(mapped);
      if (opts.json) printJson(result);
      else {
        for (const p of result.problems) process.stdout.write(`${p.kind}: ${p.message}\n`);
        info(result.ok ? `Verified: ${result.checkedIndexes} indexes from applied migrations exist and are valid.` : `${result.problems.length} problem(s).`);
      }
      if (!result.ok) process.exitCode = EXIT.checkFailed;
    });

  return migrate;
}
