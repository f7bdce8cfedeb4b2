/**
 * Resolves a profile's secret references at run time: an environment variable, or an OS
 * keychain entry (macOS `security`, Linux `secret-tool` from libsecret). Values stay in memory
 * for the probe that needs them and are never printed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Environment, SecretSource, UrlRef } from './schema';
import { InputError } from '../util/errors';

const run = promisify(execFile);

export class SecretUnavailableError extends InputError {
  override readonly code = 'secret_unavailable';
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

/** How a bearer identity is named in plans, reports and the audit log: by its secret, never its value. */
export function bearerLabel(secretName: string): string {
  return `a bearer token from secret "${secretName}"`;
}

/**
 * A bearer identity from one of the environment's secrets: the Authorization header (kept in
 * memory for the probe) and a label safe to print. The token is checked to be one header-safe
 * word, so a malformed value can never surface in an HTTP client's error message.
 */
export async function resolveBearer(secretName: string, environment: Environment, env: NodeJS.ProcessEnv = process.env): Promise<{ headers: Record<string, string>; label: string }> {
  const source = environment.secrets[secretName];
  if (!source) throw new SecretUnavailableError(`secret "${secretName}" is not defined in environment "${environment.name}"`);
  const token = (await resolveSecret(secretName, source, env)).trim();
  if (!/^[\x21-\x7e]+$/.test(token)) throw new SecretUnavailableError(`secret "${secretName}": ${describe(source)} is not a usable bearer token (it contains spaces or control characters)`);
  return { headers: { authorization: `Bearer ${token}` }, label: bearerLabel(secretName) };
}
