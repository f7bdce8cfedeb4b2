/**
 * The compiled CLI (dist/cli, built by the global setup through scripts/build-cli.mjs as
 * `npm ci` builds it) loads each command's code only when that command runs: read from the
 * build's own import graph (esbuild's metafile, dist/cli/meta.json).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliBuildFresh } from '../../bin/cli-build.mjs';
import { COMMAND_NAMES } from '../../electron/cli/main';
import { PROJECT_ROOT, runBinary } from '../harness/cli';

interface Metafile {
  outputs: Record<string, { entryPoint?: string; inputs: Record<string, unknown>; imports: { path: string; kind: string; external?: boolean }[] }>;
}

const meta = JSON.parse(readFileSync(join(PROJECT_ROOT, 'dist', 'cli', 'meta.json'), 'utf8')) as Metafile;
// Output paths name the staging folder the build wrote to; the file name is what matters.
const outputs = new Map(Object.entries(meta.outputs).filter(([p]) => p.endsWith('.js')).map(([p, o]) => [basename(p), { ...o, imports: o.imports.map((i) => ({ ...i, path: i.external ? i.path : basename(i.path) })) }]));

/** What loading `file` loads before any of its code runs: its static imports, transitively. */
function staticClosure(file: string, seen = new Set<string>()): { sources: string[]; packages: string[] } {
  seen.add(file);
  for (const i of outputs.get(file)!.imports) if (i.kind === 'import-statement' && !i.external && !seen.has(i.path)) staticClosure(i.path, seen);
  const files = [...seen].map((f) => outputs.get(f)!);
  return {
    sources: files.flatMap((o) => Object.keys(o.inputs)),
    packages: [...new Set(files.flatMap((o) => o.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => i.path)))].sort(),
  };
}

const chunkOf = (source: string) => [...outputs].find(([, o]) => o.entryPoint === source)?.[0];

describe('the compiled CLI', () => {
  it('is up to date after the build, so bin/preflight.mjs runs it rather than the sources', () => {
    expect(cliBuildFresh(PROJECT_ROOT)).toBe(true);
  });

  it('starts with no command loaded: --version pulls in commander and no other package', () => {
    const start = staticClosure('bin.js');
    expect(start.sources.filter((s) => s.includes('electron/cli/commands/'))).toEqual([]);
    expect(start.packages.filter((p) => p !== 'commander')).toEqual([]);
    // zod may be inlined into the chunks (scripts/build-cli.mjs), but not into the start.
    expect(start.sources.filter((s) => s.includes('node_modules/zod/'))).toEqual([]);
  });

  it('has one lazily imported chunk per command module, and `pg activity` loads no Redis, HTTP, SQLite or YAML code', () => {
    const lazy = outputs.get('bin.js')!.imports.filter((i) => i.kind === 'dynamic-import').map((i) => i.path);
    for (const module of ['check', 'checklist', 'pg', 'migrate', 'redis', 'http', 'active', 'serve', 'demo', 'watch', 'report', 'doctor']) {
      expect(lazy, module).toContain(chunkOf(`electron/cli/commands/${module}.ts`));
    }
    const pg = staticClosure(chunkOf('electron/cli/commands/pg.ts')!);
    expect(pg.packages).not.toContain('ioredis');
    expect(pg.packages).not.toContain('undici');
    expect(pg.packages).not.toContain('better-sqlite3');
    expect(pg.sources).not.toContain('electron/cli/commands/check.ts');
    // Nor every check definition, the contract's schemas, or the YAML/profile readers `pg indexes` needs.
    expect(pg.packages).not.toContain('yaml');
    expect(pg.sources).not.toContain('electron/core/checks/catalogue.ts');
    expect(pg.sources).not.toContain('shared/contract.ts');
    expect(pg.sources).not.toContain('electron/core/profile/load.ts');
  });

  it('the real binary lists every command of the registry in its help', async () => {
    const help = await runBinary(['--help']);
    expect(help.code).toBe(0);
    const listed = [...help.stdout.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((n) => n !== 'help');
    expect(listed).toEqual(COMMAND_NAMES);
  });

  it('the real binary loads no command module for its general help, and only the pg module for `pg --help`', async () => {
    // Node's module hooks record every module the run loads (in a temporary folder, not the checkout).
    const dir = mkdtempSync(join(tmpdir(), 'preflight-loaded-'));
    try {
      const log = join(dir, 'loaded.txt');
      writeFileSync(join(dir, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`);
      writeFileSync(join(dir, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});\n`);
      const loaded = async (args: string[]) => {
        writeFileSync(log, '');
        const run = await runBinary(args, { env: { NODE_OPTIONS: `--import=${pathToFileURL(join(dir, 'register.mjs')).href}` } });
        expect(run.code, run.stderr).toBe(0);
        return readFileSync(log, 'utf8').split('\n').filter((u) => u.includes('/dist/cli/')).map((u) => basename(new URL(u).pathname));
      };
      const commandChunks = ['check', 'checklist', 'pg', 'migrate', 'redis', 'http', 'active', 'serve', 'demo', 'watch', 'report', 'doctor'].map((m) => chunkOf(`electron/cli/commands/${m}.ts`)!);
      const general = await loaded(['--help']);
      expect(general).toContain('bin.js'); // the hooks saw the compiled CLI run
      expect(general.filter((f) => commandChunks.includes(f))).toEqual([]);
      const pg = await loaded(['pg', '--help']);
      expect(pg.filter((f) => commandChunks.includes(f))).toEqual([chunkOf('electron/cli/commands/pg.ts')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
