import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Preflight keeps its local state (audit log, sign-offs, monitor store):
 * $PREFLIGHT_DATA_DIR, else the platform's per-user data folder. Tests point it at a temp dir.
 */
export function dataDir(): string {
  const dir =
    process.env.PREFLIGHT_DATA_DIR ??
    (process.platform === 'darwin'
      ? join(homedir(), 'Library', 'Application Support', 'Preflight')
      : process.platform === 'win32'
        ? join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Preflight')
        : join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'preflight'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
