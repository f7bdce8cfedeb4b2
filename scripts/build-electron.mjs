// Bundles the Electron main process, the sandboxed preload and the demo stack (loaded only by
// `--demo`) into dist/electron (or `--outdir DIR`, used by the boot test to build exactly this way).
//
// Run-time paths: every file the app reads is found from PROJECT_ROOT
// (electron/core/util/project-root.ts), never relative to a module's own location, because
// bundling moves the code. So `import.meta.url` is defined as the bundle's own file (the one
// module allowed to use it walks up to package.json from there), and any other `import.meta`
// that reaches a CommonJS bundle fails the build instead of becoming `{}` at run time.
import { build } from 'esbuild';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist/electron' } } });
const outdir = values.outdir;

const strict = { logOverride: { 'empty-import-meta': 'error', 'unsupported-dynamic-import': 'error' } };
const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', sourcemap: true, logLevel: 'info', ...strict };
const nodeSide = {
  ...common,
  // @sentry/electron is loaded from node_modules, and only when a DSN is configured.
  external: ['electron', 'better-sqlite3', 'pg-native', '@sentry/electron', '@sentry/electron/*'],
  define: { 'import.meta.url': '__preflightBundleUrl' },
  banner: { js: 'var __preflightBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

// `import('../../demo/run-demo')` in main becomes require('./demo.cjs'): the throw-away
// Postgres/Redis and the sample API are a separate bundle, loaded only when --demo asks.
const demoAsSeparateBundle = {
  name: 'demo-as-separate-bundle',
  setup(b) {
    b.onResolve({ filter: /(^|\/)demo\/run-demo$/ }, () => ({ path: './demo.cjs', external: true }));
  },
};

await build({ ...nodeSide, entryPoints: ['electron/main/main.ts'], outfile: join(outdir, 'main.cjs'), plugins: [demoAsSeparateBundle] });
await build({ ...nodeSide, entryPoints: ['demo/run-demo.ts'], outfile: join(outdir, 'demo.cjs') });
// A sandboxed preload can require only 'electron' (and a few polyfills): no Node, no banner.
await build({ ...common, external: ['electron'], entryPoints: ['electron/preload/preload.ts'], outfile: join(outdir, 'preload.cjs') });
