// `npm run app` / `npm run app:demo`: starts the built app in Electron. Electron fetches its
// binary on first run; where it cannot (no internet, a proxy, a locked-down build machine) this
// ends with what to use instead, rather than only the installer's stack trace. The native
// modules are rebuilt for Electron's ABI only once the binary is there, so a failed launch
// leaves better-sqlite3 built for Node (the CLI and `npm test` keep working).
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');
const args = process.argv.slice(2);
const INSTEAD = 'Without Electron, the same UI runs in your browser: `npx preflight serve`, or on the demo stack: `npx preflight demo`.';

function fail(what, code = 1) {
  process.stderr.write(`\npreflight: ${what}\npreflight: ${INSTEAD}\n`);
  process.exit(code);
}

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(`preflight: note: building and packaging the desktop app needs Node 22.12+ (Electron 45's tooling); this is Node ${process.versions.node}.\n`);
}

let binary;
try {
  // Requiring the package resolves the binary, downloading it on first use.
  binary = require('electron');
} catch {
  fail('the Electron binary is not installed and could not be downloaded (its download needs internet access to github.com or ELECTRON_MIRROR).');
}

const rebuild = spawnSync(process.execPath, [require.resolve('electron-builder/cli.js'), 'install-app-deps'], { cwd: root, stdio: 'inherit' });
if (rebuild.status !== 0) fail('rebuilding the native modules for Electron failed (`electron-builder install-app-deps` needs internet access to fetch Electron headers).');

const child = spawn(binary, ['.', ...args], { cwd: root, stdio: 'inherit', windowsHide: false });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => fail(`Electron could not be started (${err.message}).`));
child.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
