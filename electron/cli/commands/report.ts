/** `preflight mark` (a deploy marker on every chart) and `preflight report` (a watch's report as Markdown or HTML). */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { loadProfile, ProfileError } from '../../core/profile/load';
import { watchHtml, watchMarkdown } from '../../core/report/watch-report';
import { summarizeWatch } from '../../core/report/watch-summary';
import { WatchStore } from '../../core/store/watch-store';
import { CliError, EXIT } from '../exit-codes';
import { info, printJson } from '../output';
import { writableFile } from '../options';
import { commandSummary } from '../command-summaries';

export function markCommand(): Command {
  return new Command('mark')
    .description(commandSummary('mark'))
    .argument('<label>', 'what happened, e.g. "deployed v1.4"')
    .option('--profile <name>', 'only for watches of this profile (its name, not the file); default: every watch')
    .option('--env <name>', 'only for this environment')
    .option('--at <iso-time>', 'when it happened (default: now)')
    .option('--store <file>', 'SQLite store (default: watch.sqlite in the data folder)')
    .option('--json', 'print the marker as JSON')
    .action((label: string, opts: { profile?: string; env?: string; at?: string; store?: string; json?: boolean }) => {
      if (!label.trim() || label.length > 200) throw new CliError('the marker needs a label of 1 to 200 characters', EXIT.usage);
      const at = opts.at ? Date.parse(opts.at) : Date.now();
      if (!Number.isFinite(at)) throw new CliError(`--at "${opts.at}" is not a time (use ISO 8601, e.g. 2026-12-01T14:05:00Z)`, EXIT.usage);
      const store = new WatchStore(opts.store);
      try {
        const marker = store.addMarker({ profile: opts.profile ?? null, environment: opts.env ?? null, at, label: label.trim(), source: 'cli' });
        if (opts.json) printJson({ ...marker, at: new Date(marker.at).toISOString() });
        else info(`Marker "${marker.label}" at ${new Date(marker.at).toISOString()}.`);
      } finally {
        store.close();
      }
    });
}

export function reportCommand(): Command {
  return new Command('report')
    .description(commandSummary('report'))
    .requiredOption('--store <file>', 'the watch store (default location: watch.sqlite in the data folder)')
    .option('--session <id>', 'which watch (default: the newest)')
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'html']).default('md'))
    .option('--out <file>', 'write to this file instead of stdout (checked before the store is read)', writableFile)
    .option('--profile <file>', 'profile to judge against (default: the file the watch was started with)')
    .addHelpText('after', '\nExit codes: 0 no alert fired in the watch, 1 an alert fired, 2 bad usage or no such watch.')
    .action((opts: { store: string; session?: string; format: 'md' | 'html'; out?: string; profile?: string }) => {
      const store = new WatchStore(opts.store);
      try {
        const session = opts.session ? store.session(opts.session) : (store.sessions()[0] ?? null);
        if (!session) throw new CliError(opts.session ? `no watch "${opts.session}" in ${opts.store}` : `no watch in ${opts.store}`, EXIT.usage);
        let profile;
        try {
          profile = loadProfile(opts.profile ?? session.profileFile).profile;
        } catch (err) {
          if (err instanceof ProfileError) throw new CliError(`cannot read the watch's profile (give --profile):\n${err.message}`, EXIT.usage);
          throw err;
        }
        const summary = summarizeWatch(store, profile, session.id);
        const text = opts.format === 'html' ? watchHtml(summary, store, profile) : watchMarkdown(summary);
        if (opts.out) {
          try {
            writeFileSync(opts.out, text);
          } catch (err) {
            throw new CliError(`cannot write ${opts.out}: ${(err as Error).message}`, EXIT.usage);
          }
          info(`Wrote ${opts.out}.`);
        } else process.stdout.write(text);
        if (summary.alerts.length) process.exitCode = EXIT.checkFailed;
      } finally {
        store.close();
      }
    });
}
