// `node scripts/require-node.mjs 22.12 "what"`: exits 2 with a clear line when this Node is older.
// Packaging needs Node 22.12+ (@electron/rebuild, Electron 45's tooling); the CLI runs on 20.19+.
const [wanted = '22.12', what = 'packaging the desktop app'] = process.argv.slice(2);
const [wMajor, wMinor] = wanted.split('.').map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < wMajor || (major === wMajor && minor < wMinor)) {
  process.stderr.write(`preflight: ${what} needs Node ${wanted}+ (Electron 45's tooling); this is Node ${process.versions.node}. The CLI (npx preflight serve, demo, check) runs on Node 20.19+.\n`);
  process.exit(2);
}
