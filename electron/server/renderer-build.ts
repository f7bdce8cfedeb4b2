import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../core/util/project-root';

export { PROJECT_ROOT };
export const RENDERER_DIST = join(PROJECT_ROOT, 'dist', 'renderer');
// The build also depends on its config and the CSP it writes into index.html.
const SOURCES = [join(PROJECT_ROOT, 'renderer'), join(PROJECT_ROOT, 'shared'), join(PROJECT_ROOT, 'vite.config.ts'), join(PROJECT_ROOT, 'electron', 'server', 'csp.ts')];

function newestMtime(dir: string): number {
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when there is no build, or a renderer/shared source is newer than it. */
function rendererBuildIsStale(): boolean {
  const index = join(RENDERER_DIST, 'index.html');
  if (!existsSync(index)) return true;
  // A packaged app ships the build without sources: nothing to compare against.
  const sources = SOURCES.filter((dir) => existsSync(dir));
  if (sources.length === 0) return false;
  const built = statSync(index).mtimeMs;
  return sources.some((dir) => newestMtime(dir) > built);
}

/** Builds the renderer with Vite when no build exists yet or the sources changed since. */
export async function ensureRendererBuilt(log: (line: string) => void): Promise<string> {
  if (!rendererBuildIsStale()) return RENDERER_DIST;
  log('Building the UI (vite build)…');
  const { build } = await import('vite');
  await build({ configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return RENDERER_DIST;
}
