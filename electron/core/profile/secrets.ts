/**
 * Resolves a profile's secret references at run time: an environment variable, or an OS
 * keychain entry (macOS `security`, Linux `secret-tool` from libsecret). Values stay in memory
 * for the probe that needs them and are never printed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Environment, SecretSource, UrlRef } from './schema';

const run = promisify(execFile);

export class SecretUnavailableError extends Error {
  readonly code = 'secret_unavailable';
}

function describe(source: SecretSource): string {
  return 'env' in source ? `environment variable ${source.env}` : `keychain entry ${source.keychain.service}/${source.keychain.account}`;
}

export async function resolveSecret(name: string, source: SecretSource, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if ('env' in source) {
    const value = env[source.env];
    if (!value) throw new SecretUnavailableError(`secret "${name}": ${describe(source)} is not set`);
    return value;
  }
  const { service, account } = source.keychain;
  const command: [string, string[]] | null =
    process.platform === 'darwin'
      ? ['security', ['find-generic-password', '-s', service, '-a', account, '-w']]
      : process.platform === 'linux'
        ? ['secret-tool', ['lookup', 'service', service, 'account', account]]
        : null;
  if (!command) throw new SecretUnavailableError(`secret "${name}": keychain lookups are not supported on ${process.platform}; use { env: NAME }`);
  try {
    const { stdout } = await run(command[0], command[1], { timeout: 5000 });
    const value = stdout.replace(/\r?\n$/, '');
    if (!value) throw new Error('empty');
    return value;
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? `${command[0]} is not installed` : 'no such entry or access denied';
    throw new SecretUnavailableError(`secret "${name}": ${describe(source)} could not be read (${why})`);
  }
}

/** A target URL: literal, or a secret's value. */
export async function resolveUrl(ref: UrlRef, environment: Environment, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (typeof ref === 'string') return ref;
  const source = environment.secrets[ref.secret];
  if (!source) throw new SecretUnavailableError(`secret "${ref.secret}" is not defined in environment "${environment.name}"`);
  return resolveSecret(ref.secret, source, env);
}
