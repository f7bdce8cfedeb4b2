// Compiles the `preflight` CLI (electron/cli/bin.ts) to JavaScript in dist/cli, so a run starts
// without tsx. ES modules with code splitting: each command's module (imported lazily by
// electron/cli/main.ts) becomes its own chunk, loaded only when that command runs. Packages stay
// in node_modules except zod and commander (INLINED below). dist/cli/inputs.json lists every
// source file the build read and when the build started: bin/preflight.mjs runs the build only
// while no source is newer.
//
// `node scripts/build-cli.mjs` builds; `--if-stale` builds only when a source changed since.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CLI_DIST, cliBuildFresh } from '../bin/cli-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, CLI_DIST);
const { values } = parseArgs({ options: { 'if-stale': { type: 'boolean', default: false } } });

if (values['if-stale'] && cliBuildFresh(root)) process.exit(0);

// esbuild is a devDependency: an install without it (--omit=dev) keeps running the sources through tsx.
const esbuild = await import('esbuild').catch(() => null);
if (!esbuild) {
  console.error('preflight CLI not compiled (esbuild is not installed): bin/preflight.mjs runs the TypeScript sources');
  process.exit(0);
}

// Packages stay in node_modules, except the two every command loads at start: zod is ~95 small
// ES module files and commander a CommonJS module, and reading them as one chunk starts faster.
const INLINED = ['zod', 'commander'];
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)].filter((name) => !INLINED.includes(name)).flatMap((name) => [name, `${name}/*`]);

const startedAt = Date.now();
// Built beside the old output and swapped in whole, so a CLI starting meanwhile sees one build or the other.
const staging = `${outdir}.tmp-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['electron/cli/bin.ts'],
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Inlined CommonJS (commander) requires Node built-ins: give the ES module chunks a require.
  banner: { js: "import { createRequire as __preflightCreateRequire } from 'node:module'; const require = __preflightCreateRequire(import.meta.url);" },
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  logOverride: { 'unsupported-dynamic-import': 'error' },
});
// The build's own configuration counts as a source: changing it makes the output stale too.
// The lock file stands for the inlined packages: upgrading them changes it.
const inputs = [...Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/')), 'scripts/build-cli.mjs', 'bin/cli-build.mjs', 'package.json', 'package-lock.json'];
writeFileSync(join(staging, 'inputs.json'), `${JSON.stringify({ startedAt, inputs }, null, 1)}\n`);
// Which chunk imports what (tests/cli-build.test.ts checks that commands load lazily).
writeFileSync(join(staging, 'meta.json'), JSON.stringify(result.metafile));
mkdirSync(dirname(outdir), { recursive: true });
const old = `${outdir}.old-${process.pid}`;
try {
  if (existsSync(outdir)) renameSync(outdir, old);
  renameSync(staging, outdir);
} catch (err) {
  // Another build (a second test run in this checkout) swapped its output in first: keep that one.
  rmSync(staging, { recursive: true, force: true });
  if (!cliBuildFresh(root)) throw err;
}
rmSync(old, { recursive: true, force: true });
console.error(`preflight CLI built into dist/cli (${inputs.length} source files)`);
