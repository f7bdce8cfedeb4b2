/**
 * The guard that keeps tests off the user's real files: a fingerprint of the real Preflight
 * data folder (every entry's path, type, size and mtime) taken before tests run and compared
 * after. Any difference — a folder created, a line appended to audit.jsonl — fails the run.
 */
import { lstatSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { resolveDataDir } from '../../electron/core/util/data-dir';

/** The data folder Preflight would use for this user if nothing pointed it elsewhere. */
export function realDataDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const { PREFLIGHT_DATA_DIR: _ignored, ...rest } = env;
  return resolveDataDir(rest, home);
}

/** One line per entry under `dir` ("absent" when it does not exist), sorted. */
export function fingerprint(dir: string): string {
  const lines: string[] = [];
  const walk = (path: string, rel: string) => {
    let st;
    try {
      st = lstatSync(path);
    } catch {
      if (rel === '.') lines.push('absent');
      return;
    }
    lines.push(`${rel} ${st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other'} ${st.isDirectory() ? '' : st.size} ${st.mtimeMs}`);
    if (st.isDirectory()) for (const name of readdirSync(path).sort()) walk(join(path, name), rel === '.' ? name : `${rel}/${name}`);
  };
  walk(dir, '.');
  return lines.join('\n');
}

/** Throws, naming what changed, when the real data folder differs from its fingerprint `before`. */
export function assertUntouched(dir: string, before: string, who: string): void {
  const after = fingerprint(dir);
  if (after === before) return;
  const was = new Set(before.split('\n'));
  const changed = after.split('\n').filter((l) => !was.has(l));
  throw new Error(
    `${who} wrote under the real Preflight data folder ${dir} (${changed.length ? `changed: ${changed.slice(0, 5).join('; ')}` : 'entries removed'}). ` +
      'Tests must use the temporary data folder the harness sets (PREFLIGHT_DATA_DIR, HOME): do not reset or delete those variables, and pass process.env to spawned processes. ' +
      '(A Preflight app or an older test run working at the same time also changes that folder: stop it and re-run.)',
  );
}
