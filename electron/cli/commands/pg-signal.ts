import { createInterface } from 'node:readline';
import { Command, InvalidArgumentError } from 'commander';
import { pgTargetIdentity } from '../../core/probes/postgres';
import type { BackendAction, BackendPlan } from '../../../shared/schemas/postgres';
import { CliError, EXIT } from '../exit-codes';
import { printJson } from '../output';
import { positiveInt, postgresUrl } from '../options';
import { withProbe } from '../postgres-probe';

async function askTyped(plan: BackendPlan): Promise<string> {
  const what = plan.confirm.what === 'environment' ? `the production environment's name "${plan.confirm.value}"` : `the host "${plan.confirm.value}"`;
  if (!process.stdin.isTTY) {
    throw new CliError(`${plan.description}\nRefused: nothing was signalled. Type ${what} to confirm: pass --confirm ${plan.confirm.value} (or run in a terminal to be asked).`, EXIT.usage);
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await new Promise<string>((done) => rl.question(`${plan.description}\nType ${what} to continue: `, done));
  } finally {
    rl.close();
  }
}

function backendPid(value: string): number {
  const n = positiveInt(value);
  if (n > 2_147_483_647) throw new InvalidArgumentError('expected a PostgreSQL backend pid (at most 2147483647)');
  return n;
}


/** `preflight pg cancel|terminate --pid N`: the sessions table's action, from a terminal. */
export function backendSignalCommand(action: BackendAction): Command {
  return new Command(action)
    .description(
      action === 'cancel'
        ? 'cancel the running query of one session (pg_cancel_backend) on a separate writer connection, after a typed confirmation; audited'
        : 'terminate one session (pg_terminate_backend) on a separate writer connection, after a typed confirmation; audited',
    )
    .requiredOption('--url <postgres-url>', 'the database the session is connected to', postgresUrl)
    .requiredOption('--pid <n>', 'the backend pid (preflight pg sessions lists them)', backendPid)
    .option('--env <name>', 'environment named in the confirmation and the audit log (default: the database name; a name containing "prod" asks for that name typed back)')
    .option('--confirm <text>', "what the confirmation asks for: the host (host:port as in --url), or a production environment's name")
    .option('--json', 'print the result as one JSON document')
    .addHelpText('after', "\nNever signals one of this Preflight's own connections. Exit codes: 0 signalled, 1 the session ended first, 2 bad usage / not confirmed / refused, 3 unreachable.")
    .action(async (opts: { url: string; pid: number; env?: string; confirm?: string; json?: boolean }) => {
      // Loaded when this command runs: `pg activity` does not pay for the writer and the audit log.
      const { BackendSignalRefusedError, planBackendSignal, signalBackend } = await import('../../core/pg-admin/signal-backend');
      /** A refusal (not confirmed, own backend, no such session, no right) is a usage error: exit 2. */
      const refusal = (err: unknown): never => {
        if (err instanceof BackendSignalRefusedError) throw new CliError(err.message, EXIT.usage, err.code);
        throw err;
      };
      const target = { url: opts.url, environment: opts.env ?? pgTargetIdentity(opts.url).database, via: 'cli' };
      const plan = await withProbe(opts.url, (c) => planBackendSignal(c, target, opts.pid, action)).catch(refusal);
      const confirm = opts.confirm ?? (await askTyped(plan));
      const result = await signalBackend(target, { pid: opts.pid, action, backendStart: plan.backendStart, confirm }).catch(refusal);
      if (opts.json) printJson(result);
      else process.stdout.write(`${result.message}\n`);
      if (!result.signalled) process.exitCode = EXIT.checkFailed;
    });
}
