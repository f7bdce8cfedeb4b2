import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIST = join(PROJECT_ROOT, 'dist', 'renderer');

/** Builds the renderer with Vite when no build exists yet (first `serve` after `npm ci`). */
export async function ensureRendererBuilt(log: (line: string) => void): Promise<string> {
  if (existsSync(join(RENDERER_DIST, 'index.html'))) return RENDERER_DIST;
  log('Building the UI once (vite build)…');
  const { build } = await import('vite');
  await build({ configFile: join(PROJECT_ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return RENDERER_DIST;
}
