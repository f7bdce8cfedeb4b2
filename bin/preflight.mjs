#!/usr/bin/env node
// Runs the compiled CLI (dist/cli, built by `npm ci` through the `prepare` script) when it is
// up to date with the sources; otherwise the TypeScript sources through tsx (bin/cli-build.mjs
// has the rule). PREFLIGHT_CLI_FROM_SOURCE=1 forces the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CLI_DIST, cliBuildFresh } from './cli-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.PREFLIGHT_CLI_FROM_SOURCE !== '1' && cliBuildFresh(root)) {
  await import(pathToFileURL(join(root, CLI_DIST, 'bin.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/cli/bin.ts');
}
