// The one rule for when the compiled CLI (dist/cli, built by scripts/build-cli.mjs) may run:
// it exists and no source file it was built from changed since the build started. Otherwise
// bin/preflight.mjs runs the TypeScript sources through tsx (slower, same behaviour), so a
// developer never runs stale code after editing or switching branches.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CLI_DIST = join('dist', 'cli');
export const CLI_MANIFEST = join(CLI_DIST, 'inputs.json');

/** True while dist/cli under `projectRoot` was built from the sources as they are now. */
export function cliBuildFresh(projectRoot) {
  try {
    const manifest = JSON.parse(readFileSync(join(projectRoot, CLI_MANIFEST), 'utf8'));
    return manifest.inputs.length > 0 && manifest.inputs.every((file) => statSync(join(projectRoot, file)).mtimeMs < manifest.startedAt);
  } catch {
    return false;
  }
}
