import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Preflight keeps its local state, without creating it: $PREFLIGHT_DATA_DIR, else the
 * platform's per-user data folder (Linux: $XDG_DATA_HOME/preflight, else
 * ~/.local/share/preflight). `home` defaults to os.homedir(), which follows $HOME.
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir(), platform: NodeJS.Platform = process.platform): string {
  if (env.PREFLIGHT_DATA_DIR) return env.PREFLIGHT_DATA_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Preflight');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Preflight');
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'preflight');
}

/**
 * Where Preflight keeps its local state (audit log, sign-offs, monitor store), created on
 * first use with owner-only permissions. Tests point it at a temp dir (tests/harness/isolate-data.ts).
 */
export function dataDir(): string {
  const dir = resolveDataDir();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
