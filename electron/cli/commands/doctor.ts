/**
 * `preflight doctor --profile <file> --env <name>`: connects as the environment's configured
 * users and reports what they can do, then prints the commands that create least-privilege
 * monitoring users. Exit 0 when nothing to warn about, 1 on a warning, 2 bad profile, 3 when a
 * target is unreachable.
 */
import { Command } from 'commander';
import { postgresPrivileges } from '../../core/doctor/postgres-privileges';
import { redisPrivileges } from '../../core/doctor/redis-privileges';
import { worstLevel, type TargetReport } from '../../core/doctor/report';
import { resolveUrl, SecretUnavailableError } from '../../core/profile/secrets';
import { CliError, EXIT } from '../exit-codes';
import { printJson } from '../output';
import { loadProfileOrExit } from './check';
import { commandSummary } from '../command-summaries';

const MARK = { ok: 'ok  ', warn: 'WARN', info: 'info' } as const;

function printReport(r: TargetReport): void {
  const out = process.stdout;
  out.write(`\n${r.kind === 'postgres' ? 'PostgreSQL' : 'Redis'} ${r.target}${r.user ? ` as ${r.user}` : ''}\n`);
  for (const f of r.findings) out.write(`  ${MARK[f.level]}  ${f.text}\n`);
  if (r.findings.some((f) => f.level === 'warn') && r.leastPrivilege.length) {
    out.write(`  A least-privilege monitoring user (run as an admin, then point the profile's secret at it):\n`);
    for (const line of r.leastPrivilege) out.write(`    ${line}\n`);
  }
}

export function doctorCommand(): Command {
  return new Command('doctor')
    .description(commandSummary('doctor'))
    .requiredOption('--profile <file>', 'profile file')
    .requiredOption('--env <name>', 'environment name')
    .option('--json', 'print one JSON document')
    .action(async (opts: { profile: string; env: string; json?: boolean }) => {
      const { profile } = loadProfileOrExit(opts.profile);
      const environment = profile.environments.find((e) => e.name === opts.env);
      if (!environment) throw new CliError(`environment "${opts.env}" is not in ${opts.profile} (it has: ${profile.environments.map((e) => e.name).join(', ')})`, EXIT.usage);
      const resolve = async (ref: Parameters<typeof resolveUrl>[0]) => {
        try {
          return await resolveUrl(ref, environment);
        } catch (err) {
          if (err instanceof SecretUnavailableError) throw new CliError(err.message, EXIT.usage);
          throw err;
        }
      };
      const reports: TargetReport[] = [];
      if (environment.targets?.postgres) reports.push(await postgresPrivileges(await resolve(environment.targets.postgres.url)));
      if (environment.targets?.redis) reports.push(await redisPrivileges(await resolve(environment.targets.redis.url)));
      if (reports.length === 0) throw new CliError(`environment "${opts.env}" names no postgres or redis target`, EXIT.usage);
      if (opts.json) printJson({ profile: profile.name, environment: environment.name, reports });
      else reports.forEach(printReport);
      process.exitCode = reports.some((r) => !r.reachable) ? EXIT.unreachable : worstLevel(reports) === 'warn' ? EXIT.checkFailed : EXIT.ok;
    });
}
