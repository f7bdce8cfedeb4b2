/**
 * The CLI in scripts (issue 11): every error maps to its exit code in one place; with --json
 * every outcome is exactly one JSON document on stdout (an error document on exit 2 or 3);
 * an unknown command exits 2 with or without --help. Runs the CLI in-process.
 */
import { createServer, type Server } from 'node:net';
import { CommanderError, type Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../electron/cli/main';
import { runCli } from './harness/cli';
import { EXIT, failureOf } from '../electron/cli/exit-codes';
import { ProfileError } from '../electron/core/profile/load';
import { TargetUnreachableError } from '../electron/core/probes/postgres';
import { InputError, UnreachableError } from '../electron/core/util/errors';
import { PortUnavailableError } from '../electron/core/util/listen';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const run = (args: string[]): Promise<Run> => runCli(args);

/** stdout holds exactly one JSON document: an error with a code and a message. */
function errorDocument(res: Run): { code: string; message: string } {
  const doc = JSON.parse(res.stdout) as { error?: { code?: unknown; message?: unknown } };
  expect(Object.keys(doc)).toEqual(['error']);
  expect(typeof doc.error?.code).toBe('string');
  expect(typeof doc.error?.message).toBe('string');
  expect(doc.error!.message as string).not.toBe('');
  return doc.error as { code: string; message: string };
}

function commandsWithJson(command: Command, path: string[] = []): string[][] {
  return command.commands.flatMap((c) => {
    const here = [...path, c.name()];
    return [...(c.options.some((o) => o.long === '--json') ? [here] : []), ...commandsWithJson(c, here)];
  });
}

// A closed loopback port: connections are refused at once.
let closedPort: number;
beforeAll(async () => {
  const s: Server = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  closedPort = (s.address() as { port: number }).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
});
afterEach(() => {
  process.exitCode = undefined;
});
afterAll(() => {
  process.exitCode = undefined;
});

describe('exit codes are decided in one place', () => {
  it('usage and config errors of every module exit 2, unreachable targets 3, anything else 1', () => {
    class SomeNewConfigError extends InputError {
      override readonly code = 'some_config';
    }
    expect(failureOf(new SomeNewConfigError('bad flag'))).toEqual({ exitCode: EXIT.usage, code: 'some_config', message: 'bad flag' });
    expect(failureOf(new ProfileError('p.yaml', [{ line: 0, column: 0, field: '', message: 'too large' }]))).toMatchObject({ exitCode: 2, code: 'invalid_profile', message: 'p.yaml: too large' });
    expect(failureOf(new PortUnavailableError('in use'))).toMatchObject({ exitCode: 2, code: 'port_unavailable' });
    expect(failureOf(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"))).toMatchObject({ exitCode: 2, code: 'usage', message: "unknown option '--x'" });
    expect(failureOf(new TargetUnreachableError('refused'))).toMatchObject({ exitCode: EXIT.unreachable, code: 'target_unreachable' });
    expect(failureOf(new (class extends UnreachableError {})('gone'))).toMatchObject({ exitCode: 3 });
    expect(failureOf(new Error('boom'))).toMatchObject({ exitCode: EXIT.checkFailed, code: 'unexpected', message: 'unexpected failure: boom' });
  });
});

describe('--json: one error document on stdout for exit 2 and 3', () => {
  it('every command that accepts --json prints one error document on a usage error', async () => {
    const commands = commandsWithJson(await buildProgram());
    expect(commands.length).toBeGreaterThanOrEqual(15);
    for (const path of commands) {
      const res = await run([...path, '--json', '--no-such-flag']);
      expect(res.code, path.join(' ')).toBe(2);
      expect(errorDocument(res).code, path.join(' ')).toBe('usage');
    }
  });

  it('config errors raised inside a command (a missing profile, a refused migrations folder) print their own code', async () => {
    const profile = await run(['check', '--profile', '/nonexistent/p.yaml', '--env', 'prod', '--json']);
    expect(profile.code).toBe(2);
    expect(errorDocument(profile)).toMatchObject({ code: 'invalid_profile', message: expect.stringMatching(/p\.yaml: cannot read the profile: it does not exist/) });
    const folder = await run(['migrate', 'status', '--url', `postgres://u@127.0.0.1:${closedPort}/db`, '--dir', '/nonexistent-migrations', '--json']);
    expect(folder.code).toBe(2);
    expect(errorDocument(folder).code).toBe('bad_migration_file');
  });

  it('a huge rejected argument is quoted by its start and length, not echoed whole (stderr and the error document)', async () => {
    const huge = `http://${'a'.repeat(100_000)}.com`;
    for (const args of [['http', '--base-url', huge, '--json'], ['http', `--base-url=${huge}`, '--json']]) {
      const res = await run(args);
      expect(res.code).toBe(2);
      expect(res.stderr.length + res.stdout.length).toBeLessThan(2_000);
      expect(res.stderr).toContain(`'http://aaaa`);
      expect(res.stderr).toContain('… (100011 characters)');
      expect(errorDocument(res).message).toContain('… (100011 characters)');
    }
    // A long URL with a password: masked first, so neither the password nor the whole value comes back.
    const res = await run(['pg', 'activity', '--url', `postgres://u:pw-${'b'.repeat(5_000)}@127.0.0.1:notaport/db`, '--json']);
    expect(res.code).toBe(2);
    expect(res.stderr.length + res.stdout.length).toBeLessThan(2_000);
    expect(res.stderr + res.stdout).not.toContain('pw-b');
  });

  it('an unreachable Postgres, Redis or API exits 3 with an error document', async () => {
    for (const args of [
      ['pg', 'activity', '--url', `postgres://u:secret-pw@127.0.0.1:${closedPort}/db`],
      ['pg', 'sessions', '--url', `postgres://u@127.0.0.1:${closedPort}/db`],
      ['migrate', 'status', '--url', `postgres://u@127.0.0.1:${closedPort}/db`, '--dir', 'migrations'],
      ['redis', '--url', `redis://127.0.0.1:${closedPort}`, '--window', '100ms'],
    ]) {
      const res = await run([...args, '--json']);
      expect(res.code, args.join(' ')).toBe(3);
      const error = errorDocument(res);
      expect(error.code).toBe('target_unreachable');
      expect(error.message).not.toContain('secret-pw');
    }
    // `http` has a report to give even when nothing answered: one document, with the error member.
    const http = await run(['http', '--base-url', `http://127.0.0.1:${closedPort}`, '--json']);
    expect(http.code).toBe(3);
    const doc = JSON.parse(http.stdout) as { error: { code: string; message: string } };
    expect(doc.error).toMatchObject({ code: 'target_unreachable', message: expect.stringMatching(/did not answer/) });
  });
});

describe('unknown commands', () => {
  it('exit 2 with or without --help, at the top and inside a command group; stdout stays empty', async () => {
    for (const args of [['frobnicate'], ['frobnicate', '--help'], ['help', 'frobnicate'], ['pg', 'frobnicate', '--help'], ['migrate', 'frobnicate']]) {
      const res = await run(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stderr).toMatch(new RegExp(`unknown command '${args.filter((a) => a !== '--help' && a !== 'help').join(' ')}'`));
      expect(res.stdout).toBe('');
    }
    const json = await run(['frobnicate', '--json']);
    expect(errorDocument(json).code).toBe('unknown_command');
  });

  it('known commands still show their help with exit 0; a group without its command is a usage error', async () => {
    for (const args of [['--help'], ['help'], ['pg', '--help'], ['help', 'pg'], ['migrate', 'apply', '--help']]) {
      const res = await run(args);
      expect(res.code, args.join(' ')).toBe(0);
      expect(res.stdout).toMatch(/^Usage: preflight/);
    }
    const bare = await run(['migrate']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/Usage: preflight migrate/);
  });
});
