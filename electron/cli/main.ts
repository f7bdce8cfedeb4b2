/**
 * The `preflight` command. Exit codes: 0 healthy, 1 a check failed, 2 bad usage or config,
 * 3 target unreachable.
 */
import { Command, CommanderError, Help } from 'commander';
import { COMMAND_SUMMARIES } from './command-summaries';
import { CliError, EXIT, failureOf } from './exit-codes';
import { outputMasker } from './mask-output';
import { jsonDocumentPrinted, printJson, resetJsonDocument } from './output';
import { APP_VERSION } from './version';

/**
 * The top-level commands in the order `--help` lists them. Each entry's code (and everything it
 * imports: drivers, engine, schemas) is loaded only when a run names one of its commands, so
 * `preflight --version` loads none and `preflight pg activity` loads only the pg module.
 */
const COMMANDS: readonly { names: readonly string[]; load: () => Promise<Command[]> }[] = [
  { names: ['check'], load: async () => [(await import('./commands/check')).checkCommand()] },
  { names: ['checklist'], load: async () => [(await import('./commands/checklist')).checklistCommand()] },
  { names: ['pg'], load: async () => [(await import('./commands/pg')).pgCommand()] },
  { names: ['migrate'], load: async () => [(await import('./commands/migrate')).migrateCommand()] },
  { names: ['redis'], load: async () => [(await import('./commands/redis')).redisCommand()] },
  { names: ['http'], load: async () => [(await import('./commands/http')).httpCommand()] },
  { names: ['ratelimit', 'sse'], load: async () => { const m = await import('./commands/active'); return [m.ratelimitCommand(), m.sseCommand()]; } },
  { names: ['serve'], load: async () => [(await import('./commands/serve')).serveCommand()] },
  { names: ['demo'], load: async () => [(await import('./commands/demo')).demoCommand()] },
  { names: ['watch'], load: async () => [(await import('./commands/watch')).watchCommand()] },
  { names: ['mark', 'report'], load: async () => { const m = await import('./commands/report'); return [m.markCommand(), m.reportCommand()]; } },
  { names: ['doctor'], load: async () => [(await import('./commands/doctor')).doctorCommand()] },
];

/** Every top-level command name, in help order. */
export const COMMAND_NAMES: readonly string[] = COMMANDS.flatMap((c) => c.names);

async function loadEntry(entry: (typeof COMMANDS)[number]): Promise<Command[]> {
  const commands = await entry.load();
  const names = commands.map((c) => c.name());
  // The registry names a module's commands before loading it: a renamed command must be renamed here too.
  if (names.join(' ') !== entry.names.join(' ')) throw new Error(`CLI registry lists ${entry.names.join(', ')} but the module defines ${names.join(', ')}`);
  return commands;
}

/**
 * Which registry entries a run needs: the one its first word names (also after `help`), none
 * for a bare `--version`, and 'summaries' otherwise (the general help, an unknown command):
 * every command's name and summary, no module.
 */
function entriesFor(argv: readonly string[] | 'all'): (typeof COMMANDS)[number][] | 'summaries' {
  if (argv === 'all') return [...COMMANDS];
  const end = argv.indexOf('--');
  const args = end === -1 ? argv : argv.slice(0, end);
  const words = args.filter((a) => !a.startsWith('-'));
  const word = words[0] === 'help' ? words[1] : words[0];
  const named = COMMANDS.find((c) => word !== undefined && c.names.includes(word));
  if (named) return [named];
  const wantsHelp = args.includes('--help') || args.includes('-h') || words.length > 0;
  if (!wantsHelp && (args.includes('--version') || args.includes('-V'))) return [];
  return 'summaries';
}

/**
 * The general help's list without loading any command module: a bare command per name with its
 * summary (electron/cli/command-summaries.ts), listed with the term the loaded command has. Only
 * built when the run names no command, so none of them is ever run.
 */
function addSummaries(program: Command): void {
  for (const { name, summary } of COMMAND_SUMMARIES) program.addCommand(new Command(name).description(summary));
  const terms = new Map<string, string>(COMMAND_SUMMARIES.map((c) => [c.name, c.term ? `${c.name} ${c.term}` : c.name]));
  program.configureHelp({ subcommandTerm: (c) => terms.get(c.name()) ?? Help.prototype.subcommandTerm.call(new Help(), c) });
}

/**
 * The `preflight` program with the commands `argv` needs (every command for 'all'). Usage
 * errors exit 2 and their text goes through the secret masker.
 */
export async function buildProgram(argv: readonly string[] | 'all' = 'all'): Promise<Command> {
  const mask = outputMasker(argv === 'all' ? [] : argv);
  const program = new Command('preflight')
    .description('Prove a production stack is ready to deploy, and watch it after launch.')
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExit codes: 0 healthy, 1 a check failed, 2 bad usage or config, 3 target unreachable.');
  const entries = entriesFor(argv);
  if (entries === 'summaries') addSummaries(program);
  else for (const command of (await Promise.all(entries.map(loadEntry))).flat()) program.addCommand(command);
  // Every command, including nested ones, exits 2 on a usage error instead of commander's 1,
  // and its error text (which quotes rejected values verbatim) goes through the masker.
  const configure = (c: Command) => {
    c.exitOverride();
    c.configureOutput({ outputError: (text, write) => write(mask(text)) });
    c.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/**
 * The first word that names no command where a command is expected, as "pg nope". Commander
 * alone would show the general help and exit 0 for `preflight nope --help`.
 */
export function unknownCommand(program: Command, argv: readonly string[]): string | null {
  let current = program;
  const path: string[] = [];
  for (const arg of argv) {
    if (arg === '--') return null;
    if (arg.startsWith('-')) continue; // command groups take no option with a value
    if (current.commands.length === 0) return null; // a leaf command's operands are its own
    if (arg === 'help') continue; // `help <command>` names a command at the same level
    const next = current.commands.find((c) => c.name() === arg || c.aliases().includes(arg));
    if (!next) return [...path, arg].join(' ');
    path.push(arg);
    current = next;
  }
  return null;
}

/** `--json` before any `--`: the run must end with exactly one JSON document on stdout. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

export async function runCli(argv: string[]): Promise<number> {
  const mask = outputMasker(argv);
  resetJsonDocument();
  try {
    const program = await buildProgram(argv);
    const unknown = unknownCommand(program, argv);
    if (unknown !== null) throw new CliError(`unknown command '${unknown}' (run preflight --help for the commands)`, EXIT.usage, 'unknown_command');
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    // --help, help and --version end with commander's exit 0; a command group named without
    // its command (`preflight migrate`) shows its help as an error: that is a usage error.
    if (err instanceof CommanderError && err.exitCode === 0) return EXIT.ok;
    const failure = failureOf(err);
    const message = mask(failure.message);
    // Commander already printed its own usage error (masked) on stderr.
    if (!(err instanceof CommanderError)) process.stderr.write(`preflight: ${message}\n`);
    // A script that asked for JSON can parse every outcome: one error document, unless the
    // command already printed its document before failing.
    if (wantsJson(argv) && !jsonDocumentPrinted()) printJson({ error: { code: failure.code, message } });
    return failure.exitCode;
  }
}
