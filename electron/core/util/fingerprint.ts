/**
 * Salted fingerprints of secrets: HMAC-SHA256 under a random per-install salt kept in the data
 * directory (mode 0600). Two fingerprints are equal exactly when the values are, yet a
 * fingerprint cannot be looked up in a table of common values. Only the first 12 hex digits
 * are shown.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from './data-dir';

let cached: { dir: string; salt: Buffer } | null = null;

function installSalt(): Buffer {
  const dir = dataDir();
  if (cached?.dir === dir) return cached.salt;
  const path = join(dir, 'fingerprint-salt');
  if (!existsSync(path)) {
    try {
      writeFileSync(path, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  const salt = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  cached = { dir, salt };
  return salt;
}

export function fingerprint(secret: string): string {
  return createHmac('sha256', installSalt()).update(secret, 'utf8').digest('hex').slice(0, 12);
}
