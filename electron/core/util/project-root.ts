/**
 * The one rule for every file Preflight reads at run time (renderer build, preload, demo
 * migrations, shipped profiles, package.json): its path is PROJECT_ROOT joined with the path
 * inside the project. No module resolves a file relative to its own location, because bundling
 * moves the code (electron/… in source, dist/electron/main.cjs in the app, app.asar when
 * packaged). Lint bans `import.meta` and `__dirname` everywhere else; the bundle build fails on
 * any other `import.meta` and defines `import.meta.url` as the bundle's own file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'preflight';

function packageName(file: string): string | null {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME ? PACKAGE_NAME : null;
  } catch {
    return null;
  }
}

/** The nearest folder at or above `from` holding Preflight's own package.json. */
function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && packageName(pkg)) return dir;
    if (dirname(dir) === dir) throw new Error(`Preflight's package.json was not found in ${from} or any folder above it: the installation is incomplete (reinstall or rebuild it).`);
  }
}

// The one place allowed to know where the code runs (lint exempts this file only).
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A file or folder shipped with Preflight, e.g. projectPath('demo', 'migrations'). */
export function projectPath(...segments: string[]): string {
  return join(PROJECT_ROOT, ...segments);
}
