import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InputError } from '../../electron/core/util/errors';

/** Thrown when a server binary is not installed; the message says how to install it. */
class MissingBinaryError extends InputError {
  override readonly code = 'missing_binary';
}

function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return dir;
  }
  return null;
}

/** Finds the directory holding initdb/pg_ctl: $PREFLIGHT_PG_BIN, Debian's layout, then PATH. */
export function findPostgresBinDir(): string {
  const fromEnv = process.env.PREFLIGHT_PG_BIN;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const debianRoot = '/usr/lib/postgresql';
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => existsSync(join(debianRoot, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debianRoot, versions[0], 'bin');
  }
  const dir = onPath('initdb');
  if (dir && existsSync(join(dir, 'pg_ctl'))) return dir;
  throw new MissingBinaryError(
    'PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with ' +
      '`sudo apt-get install -y postgresql` (Debian/Ubuntu) or `brew install postgresql@16` (macOS), ' +
      'or point PREFLIGHT_PG_BIN at the folder that holds initdb.',
  );
}

export function findRedisServer(): string {
  const fromEnv = process.env.PREFLIGHT_REDIS_SERVER;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  const dir = onPath('redis-server');
  if (dir) return join(dir, 'redis-server');
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new MissingBinaryError(
    'redis-server was not found. Install it with `sudo apt-get install -y redis-server` (Debian/Ubuntu) ' +
      'or `brew install redis` (macOS), or point PREFLIGHT_REDIS_SERVER at the binary.',
  );
}
