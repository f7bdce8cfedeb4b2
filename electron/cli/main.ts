/**
 * The `preflight` command. Exit codes: 0 healthy, 1 a check failed, 2 bad usage or config,
 * 3 target unreachable.
 */
import { Command, CommanderError } from 'commander';
import { MissingBinaryError } from '../core/ephemeral/binaries';
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
import { CliError, EXIT } from './exit-codes';
import { outputMasker } from './mask-output';
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

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram(argv);
  const mask = outputMasker(argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof CliError) {
      process.stderr.write(`preflight: ${mask(err.message)}\n`);
      return err.exitCode;
    }
    if (err instanceof MissingBinaryError) {
      process.stderr.write(`preflight: ${mask(err.message)}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`preflight: unexpected failure: ${mask(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT.checkFailed;
  }
}
