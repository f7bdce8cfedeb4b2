/** `preflight checklist`: the launch walkthrough — start, status, phase, sign, verify, export. */
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { WalkthroughView } from '../../../shared/schemas/checklist';
import { walkthroughHtml, walkthroughMarkdown } from '../../core/checklist/export';
import { currentUserName, exportEvidence, signOff, startPhase, startWalkthrough, walkthroughView } from '../../core/checklist/walkthrough';
import type { LoadedProfile } from '../../core/profile/load';
import { ChecksStore } from '../../core/store/checks-store';
import { CliError, EXIT } from '../exit-codes';
import { info, printJson } from '../output';
import { writableFile } from '../options';
import { configErrorsToExit2, loadProfileOrExit } from './check';
import { commandSummary } from '../command-summaries';

interface TargetOpts {
  profile: string;
  env: string;
  json?: boolean;
}

async function withStore<T>(opts: TargetOpts, work: (store: ChecksStore, loaded: LoadedProfile) => Promise<T> | T): Promise<T> {
  const loaded = loadProfileOrExit(opts.profile);
  const store = new ChecksStore();
  try {
    return await configErrorsToExit2(async () => work(store, loaded));
  } finally {
    store.close();
  }
}

const MARK: Record<string, string> = { done: '[x]', pending: '[ ]', failing: '[!]', not_started: '[-]' };

function printStatus(view: WalkthroughView): void {
  const out = process.stdout;
  out.write(`${view.profile}/${view.environment}: ${view.done} of ${view.total} steps done (walkthrough started ${view.startedAt} by ${view.startedBy})\n`);
  out.write(view.latestRun ? `Latest complete run: ${view.latestRun.score}/100 ${view.latestRun.verdict} at ${view.latestRun.at}\n` : 'No complete check run since the walkthrough started: run `preflight check` (without --only).\n');
  if (view.latestPartialRun) out.write(`Newer partial run (${view.latestPartialRun.checks} chosen checks, ${view.latestPartialRun.at}): ${view.latestPartialRun.score}/100 over those checks only — not a readiness verdict\n`);
  out.write(view.integrity.ok ? `Journal intact (${view.integrity.rows} rows)\n` : `JOURNAL TAMPERED: ${view.integrity.broken.map((b) => `row ${b.seq} ${b.reason}`).join('; ')}\n`);
  for (const phase of view.phases) {
    out.write(`\n${phase.title}${phase.startedAt ? ` (started ${phase.startedAt})` : ' (not started)'}\n`);
    for (const s of phase.steps) {
      const how = [s.signOff ? `signed by ${s.signOff.name} ${s.signOff.at}` : s.checks.map((c) => `${c.id}=${c.status ?? '?'}`).join(' '), s.watch === null ? 'no completed launch watch yet' : s.watch ? `watch ${s.watch.sessionId}: ${s.watch.line}` : ''].filter(Boolean).join('; ');
      out.write(`  ${MARK[s.state]} ${s.id.padEnd(28)} ${s.title}${how ? `  — ${how}` : ''}\n`);
    }
  }
}

const target = (c: Command) =>
  c.requiredOption('--profile <file>', 'profile YAML').requiredOption('--env <name>', 'environment name from the profile').option('--json', 'print one JSON document on stdout');

export function checklistCommand(): Command {
  const cmd = new Command('checklist').description(commandSummary('checklist'));

  target(cmd.command('start').description('start a walkthrough (records salted fingerprints of the secrets to rotate)')).action(async (opts: TargetOpts) => {
    const w = await withStore(opts, (store, loaded) => startWalkthrough(store, loaded, opts.env));
    if (opts.json) printJson(w);
    else info(`Walkthrough ${w.id} started at ${w.startedAt}.`);
  });

  target(cmd.command('status').description('show every step, its evidence and sign-off; exit 1 while steps remain')).action(async (opts: TargetOpts) => {
    const view = await withStore(opts, (store, loaded) => walkthroughView(store, loaded.profile, opts.env));
    if (opts.json) printJson(view);
    else printStatus(view);
    if (!view.integrity.ok || view.done < view.total) process.exitCode = EXIT.checkFailed;
  });

  target(cmd.command('phase').description('mark a phase as started (its automated steps need evidence newer than this)'))
    .addOption(new Option('--phase <id>', 'phase to start').choices(['pre-deploy', 'deploy', 'first-24h']).makeOptionMandatory())
    .action(async (opts: TargetOpts & { phase: string }) => {
      const entry = await withStore(opts, (store, loaded) => startPhase(store, loaded.profile, opts.env, opts.phase));
      if (opts.json) printJson(entry);
      else info(entry ? `Phase ${opts.phase} started at ${entry.at}.` : `Phase ${opts.phase} was already started.`);
    });

  target(cmd.command('sign').description('sign off a manual step (name, UTC time, optional note); append-only'))
    .requiredOption('--step <id>', 'step id from the profile')
    .option('--name <name>', 'who signs', currentUserName())
    .option('--note <text>', 'optional note')
    .action(async (opts: TargetOpts & { step: string; name: string; note?: string }) => {
      const entry = await withStore(opts, (store, loaded) => signOff(store, loaded.profile, opts.env, opts.step, opts.name, opts.note ?? null));
      if (opts.json) printJson(entry);
      else info(`Signed ${opts.step} as ${entry.name} at ${entry.at} (journal #${entry.seq}).`);
    });

  target(cmd.command('verify').description('verify the sign-off journal’s hash chain; exit 1 if tampered')).action(async (opts: TargetOpts) => {
    const result = await withStore(opts, (store) => store.verifyJournal());
    if (opts.json) printJson(result);
    else info(result.ok ? `Journal intact: ${result.rows} rows verified.` : `Journal TAMPERED:\n${result.broken.map((b) => `  row ${b.seq}: ${b.reason}`).join('\n')}`);
    if (!result.ok) process.exitCode = EXIT.checkFailed;
  });

  target(cmd.command('export').description('write the walkthrough as Markdown or self-contained HTML (the change-management record)'))
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'html']).default('md'))
    .requiredOption('--out <file>', 'file to write (checked before anything is read)', writableFile)
    .action(async (opts: TargetOpts & { format: 'md' | 'html'; out: string }) => {
      const text = await withStore(opts, (store, loaded) => {
        const view = walkthroughView(store, loaded.profile, opts.env);
        const results = exportEvidence(store, view);
        return opts.format === 'html' ? walkthroughHtml(view, results) : walkthroughMarkdown(view, results);
      });
      try {
        writeFileSync(opts.out, text);
      } catch (err) {
        throw new CliError(`cannot write ${opts.out}: ${(err as Error).message}`, EXIT.usage);
      }
      info(`Wrote ${opts.out}.`);
    });

  return cmd;
}
