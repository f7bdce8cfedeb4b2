/** `preflight check`: one readiness run from a profile — text, JSON or JUnit; exit 0 ready, 1 not ready, 2 config. */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { capSentence, FIX_LABEL, unverifiedSentence } from '../../../shared/readiness-text';
import type { ReadinessReport } from '../../../shared/schemas/readiness';
import { CHECK_IDS } from '../../core/checks/catalogue';
import { describeCatalogue } from '../../core/checks/describe';
import { ConfigError, runChecks } from '../../core/engine/run-checks';
import { loadProfileFile } from '../../core/profile/discovery';
import { ProfileError, type LoadedProfile } from '../../core/profile/load';
import { readinessJunit } from '../../core/report/junit';
import { ChecksStore } from '../../core/store/checks-store';
import { CliError, EXIT } from '../exit-codes';
import { info, printJson, printTable } from '../output';
import { checkIdList, writableFile } from '../options';
import { commandSummary } from '../command-summaries';

/** Loads a profile or turns its problems into exit 2 with file:line messages. */
export function loadProfileOrExit(path: string): LoadedProfile {
  try {
    return loadProfileFile(path);
  } catch (err) {
    if (err instanceof ProfileError) throw new CliError(`invalid profile:${err.issues.length > 1 ? '\n' : ' '}${err.message}`, EXIT.usage, err.code);
    throw err;
  }
}

export function configErrorsToExit2<T>(work: () => Promise<T>): Promise<T> {
  return work().catch((err: unknown) => {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage, err.code);
    throw err;
  });
}

function printHuman(report: ReadinessReport): void {
  const out = process.stdout;
  if (report.partial) out.write(`PARTIAL RUN of ${report.results.length} chosen checks: ${report.score}/100 over those checks only — not a readiness verdict (run without --only for one) (${report.profile}/${report.environment}; ${report.durationMs.toFixed(0)} ms)\n`);
  else out.write(`Readiness ${report.score}/100 — ${report.verdict === 'ready' ? 'READY' : 'NOT READY'} (ready at ${report.readyAt}; ${report.profile}/${report.environment}; ${report.durationMs.toFixed(0)} ms)\n`);
  for (const line of [capSentence(report), unverifiedSentence(report)]) if (line) out.write(`${line}\n`);
  if (report.previous) out.write(`Since the previous run (${report.previous.previousAt}): ${report.previous.change}${report.previous.statusChanges.length ? `; changed: ${report.previous.statusChanges.map((c) => `${c.id} ${c.from ?? 'new'}→${c.to}`).join(', ')}` : ''}\n`);
  out.write('\n');
  printTable(
    report.results.map((r) => ({ status: r.status === 'skipped' || r.status === 'error' ? `unknown(${r.status})` : r.status, severity: r.severity, id: r.id, summary: r.summary })),
    ['status', 'severity', 'id', 'summary'],
  );
  if (report.pointsLost.length) {
    out.write('\nPoints lost\n');
    for (const p of report.pointsLost) out.write(`  -${p.points.toFixed(1).padStart(5)}  ${p.id} (${p.severity}, ${p.reason})\n`);
  }
  const failing = report.results.filter((r) => r.status === 'fail' || r.status === 'error');
  if (failing.length) {
    out.write('\nFailing and errored checks\n');
    for (const r of failing) out.write(`  ${r.id} (${r.status})\n    found: ${r.summary}\n    ${FIX_LABEL}: ${r.fix ?? '-'}\n`);
  }
  out.write(`\nProbes: ${report.probes.map((p) => `${p.name} ${p.status}${p.durationMs !== null ? ` ${p.durationMs.toFixed(0)} ms` : ''}`).join(', ')}\n`);
}

export function checkCommand(): Command {
  return new Command('check')
    .description(commandSummary('check'))
    .option('--profile <file>', 'profile YAML (see docs/profiles.md)')
    .option('--env <name>', 'environment name from the profile')
    .option('--only <ids>', 'comma-separated check ids to run', (value: string) => checkIdList(value, CHECK_IDS))
    .option('--allow-active', 'also run active probes (rate-limit bursts, SSE streams) that send load to the target; this flag is your consent')
    .option('--confirm-environment <name>', 'type the environment name back: required with --allow-active on a production environment')
    .option('--json', 'print one JSON document on stdout')
    .option('--junit <file>', 'write JUnit XML (one test case per check) to this file (checked before any probe runs)', writableFile)
    .option('--list', 'list the check catalogue and exit')
    .addHelpText('after', '\nExit codes: 0 ready, 1 not ready, 2 bad usage, invalid profile or a secret the run needs that cannot be resolved.\nSkipped and errored checks count as unknown, never as pass.')
    .action(async (opts: { profile?: string; env?: string; only?: string[]; allowActive?: boolean; confirmEnvironment?: string; json?: boolean; junit?: string; list?: boolean }) => {
      if (opts.list) {
        const checks = describeCatalogue();
        if (opts.json) printJson(checks);
        else printTable(checks.map((c) => ({ id: c.id, category: c.category, severity: c.severity, probe: c.probes.join('+'), title: c.title, expects: c.expectations.map((e) => e.key).join(', ') || '-' })), ['id', 'category', 'severity', 'probe', 'title', 'expects']);
        return;
      }
      if (!opts.profile || !opts.env) throw new CliError('check needs --profile <file> and --env <name> (or --list)', EXIT.usage);
      if (opts.json && opts.junit) throw new CliError('choose one of --json or --junit', EXIT.usage);
      const loaded = loadProfileOrExit(opts.profile);
      const store = new ChecksStore();
      try {
        const report = await configErrorsToExit2(() =>
          runChecks({
            loaded,
            environment: opts.env!,
            only: opts.only,
            allowActive: opts.allowActive,
            confirmEnvironment: opts.confirmEnvironment,
            activeSource: 'cli',
            store,
            onProgress: (p) => {
              if (!opts.json) info(`probe ${p.probe}: ${p.status} (${p.done}/${p.total})`);
            },
          }),
        );
        if (opts.json) printJson(report);
        else printHuman(report);
        if (opts.junit) {
          try {
            writeFileSync(opts.junit, readinessJunit(report));
          } catch (err) {
            // Checked when the arguments were parsed; this is the folder vanishing during the run.
            throw new CliError(`cannot write the JUnit XML to ${opts.junit}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, EXIT.usage);
          }
          info(`JUnit XML written to ${opts.junit}`);
        }
        if (report.verdict !== 'ready') process.exitCode = EXIT.checkFailed;
      } finally {
        store.close();
      }
    });
}
