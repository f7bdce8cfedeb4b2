import { Command } from 'commander';
import { listSessions, sampleActivity } from '../../core/probes/postgres';
import { judgePostgres } from '../../core/checks/judge';
import { EXIT } from '../exit-codes';
import { percent, printJson, printTable, seconds } from '../output';
import { pgIndexesCommand } from './pg-indexes';
import { positiveInt, postgresUrl } from '../options';
import { withProbe } from '../postgres-probe';
import { backendSignalCommand } from './pg-signal';
import { commandSummary } from '../command-summaries';

export function pgCommand(): Command {
  const pg = new Command('pg').description(commandSummary('pg'));

  pg.command('activity')
    .description('one sample of connection use from pg_stat_activity: totals, states, applications, lock waits, oldest transaction')
    .requiredOption('--url <postgres-url>', 'database to sample', postgresUrl)
    .option('--budget <n>', 'connections the app may use (StartInsight: 50 per backend instance)', positiveInt)
    .option('--plan-limit <n>', "the provider's connection limit (Supabase: 60 Free, 500 Pro)", positiveInt)
    .option('--json', 'print one JSON document on stdout')
    .addHelpText('after', '\nJudged by the catalogue checks pg.pool-utilization (fails at 80 % of usable connections or over --budget), pg.idle-in-transaction and pg.lock-waits, with their default bands (preflight check --list).\nExit codes: 0 no check failed, 1 a check failed, 2 bad usage, 3 unreachable.')
    .action(async (opts: { url: string; budget?: number; planLimit?: number; json?: boolean }) => {
      const sample = await withProbe(opts.url, (c) => sampleActivity(c, { budget: opts.budget ?? null, planLimit: opts.planLimit ?? null }));
      const judgements = judgePostgres(sample, { budget: opts.budget ?? null });
      if (opts.json) printJson({ ...sample, judgements });
      else {
        process.stdout.write(
          [
            `connections   ${sample.total} of ${sample.maxConnections} max (${percent(sample.utilization)}; ${sample.reservedConnections} reserved for superusers)`,
            `budget        ${sample.budget === null ? 'not set (--budget N)' : `${sample.total} of ${sample.budget} (${percent(sample.budgetUtilization)})`}`,
            `plan limit    ${sample.planLimit === null ? 'not set (--plan-limit N)' : `${sample.total} of ${sample.planLimit} (${percent(sample.planUtilization)})`}`,
            `by state      ${Object.entries(sample.byState).map(([k, v]) => `${k} ${v}`).join(', ') || '-'}`,
            `by app        ${sample.byApplication.map((a) => `${a.name || '(none)'} ${a.count}`).join(', ') || '-'}`,
            ...(sample.namedLikePreflight > 0
              ? [`note          ${sample.namedLikePreflight} session${sample.namedLikePreflight === 1 ? '' : 's'} of other processes call themselves "preflight": counted (only this process's own connections are left out, by pid)`]
              : []),
            `lock waits    ${sample.waitingOnLocks}${sample.blocked.map((b) => `\n  pid ${b.pid} blocked by ${b.blockedBy.join(',')} for ${seconds(b.waitingSeconds)}`).join('')}`,
            `oldest query  ${seconds(sample.oldestQuerySeconds)}   oldest transaction ${seconds(sample.oldestTransactionSeconds)}   longest idle in transaction ${seconds(sample.longestIdleInTransactionSeconds)}`,
            `sampled at    ${sample.sampledAt} (${sample.sampleMs.toFixed(1)} ms round trip, ${sample.serverMs.toFixed(2)} ms on the server)`,
            '',
            ...Object.entries(judgements).map(([id, j]) => `[${j.status.toUpperCase()}] ${id}: ${j.summary}`),
          ].join('\n') + '\n',
        );
      }
      if (Object.values(judgements).some((j) => j.status === 'fail')) process.exitCode = EXIT.checkFailed;
    });

  pg.command('sessions')
    .description('list client sessions (never this process’s own, known by pid): pid, user, application, client, state, wait, ages, query, note')
    .requiredOption('--url <postgres-url>', 'database to inspect', postgresUrl)
    .option('--json', 'print one JSON document on stdout')
    .action(async (opts: { url: string; json?: boolean }) => {
      const sessions = await withProbe(opts.url, (c) => listSessions(c));
      if (opts.json) {
        printJson(sessions);
        return;
      }
      printTable(
        sessions.map((s) => ({ ...s, query: s.query.slice(0, 60) })),
        ['pid', 'user', 'application', 'client', 'state', 'waitEvent', 'queryAgeSeconds', 'transactionAgeSeconds', 'query', 'note'],
      );
    });

  for (const action of ['cancel', 'terminate'] as const) pg.addCommand(backendSignalCommand(action));
  pg.addCommand(pgIndexesCommand());
  return pg;
}
