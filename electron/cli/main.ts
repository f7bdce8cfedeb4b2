/**
 * The `preflight` command. Exit codes: 0 healthy, 1 a check failed, 2 bad usage or config,
 * 3 target unreachable.
 */
import { Command, CommanderError } from 'commander';
import { checkCommand } from './commands/check';
import { checklistCommand } from './commands/checklist';
import { ratelimitCommand, sseCommand } from './commands/active';
import { demoCommand } from './commands/demo';
import { doctorCommand } from './commands/doctor';
import { migrateCommand } from './commands/migrate';
import { httpCommand } from './commands/http';
import { pgCommand } from './commands/pg';
import { redisCommand } from './commands/redis';
import { markCommand, reportCommand } from './commands/report';
import { serveCommand } from './commands/serve';
import { watchCommand } from './commands/watch';
import { CliError, EXIT, failureOf } from './exit-codes';
import { outputMasker } from './mask-output';
import { jsonDocumentPrinted, printJson, resetJsonDocument } from './output';
import { APP_VERSION } from './version';

export function buildProgram(argv: readonly string[] = []): Command {
  const mask = outputMasker(argv);
  const program = new Command('preflight')
    .description('Prove a production stack is ready to deploy, and watch it after launch.')
    .version(APP_VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExit codes: 0 healthy, 1 a check failed, 2 bad usage or config, 3 target unreachable.');
  for (const command of [checkCommand(), checklistCommand(), pgCommand(), migrateCommand(), redisCommand(), httpCommand(), ratelimitCommand(), sseCommand(), serveCommand(), demoCommand(), watchCommand(), markCommand(), reportCommand(), doctorCommand()]) program.addCommand(command);
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
  const program = buildProgram(argv);
  const mask = outputMasker(argv);
  resetJsonDocument();
  try {
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
