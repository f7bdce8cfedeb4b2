/**
 * electron-builder.yml's `files`, for node_modules: built exactly as `npm run app` builds them,
 * the bundles load a few packages at run time (better-sqlite3, @sentry/electron); those and
 * everything they depend on must ship, and every other production dependency (bundled into
 * main.cjs, or needed by the CLI only: vite, tsx, …) must not. Decided by electron-builder's own
 * node_modules matcher.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../harness/cli';
import { builderConfig, bundleExternals, dependencyClosure, filesUnder, nodeModuleShipped } from './packaging';

const config = builderConfig();

/** Provided by the runtime, not node_modules. */
const RUNTIME_PROVIDED = ['electron'];
/** pg's optional native binding: required inside a try, not installed, so nothing to ship. */
const OPTIONAL_NOT_INSTALLED = ['pg-native'];
/** Files of a needed package deliberately left out (sources of an addon built before packaging). */
const LEFT_OUT = [/^node_modules\/better-sqlite3\/(deps|src)\//, /\.map$/];

function packageFiles(dir: string): string[] {
  return filesUnder(join(PROJECT_ROOT, dir)).filter((f) => !f.includes('node_modules/')).map((f) => `${dir}/${f}`);
}

describe('electron-builder.yml: node_modules in the app', () => {
  it('ships exactly what the built bundles load at run time, with its dependencies; not the bundled or CLI-only packages', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'preflight-bundle-'));
    await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, 'scripts', 'build-electron.mjs'), '--outdir', out], { cwd: PROJECT_ROOT });
    const externals = bundleExternals(['main.cjs', 'demo.cjs'].map((f) => readFileSync(join(out, f), 'utf8')).join('\n'));
    expect(externals).toEqual(expect.arrayContaining(['better-sqlite3', '@sentry/electron', 'electron']));
    for (const name of OPTIONAL_NOT_INSTALLED) expect(existsSync(join(PROJECT_ROOT, 'node_modules', name)), name).toBe(false);
    const needed = dependencyClosure(externals.filter((n) => !RUNTIME_PROVIDED.includes(n) && !OPTIONAL_NOT_INSTALLED.includes(n)));
    expect(needed).toEqual(expect.arrayContaining(['node_modules/better-sqlite3', 'node_modules/bindings', 'node_modules/@sentry/electron', 'node_modules/@sentry/node']));

    // Every file of every needed package ships (but the deliberate leave-outs).
    const missing = needed.flatMap(packageFiles).filter((f) => !LEFT_OUT.some((r) => r.test(f)) && !nodeModuleShipped(f, config));
    expect(missing).toEqual([]);
    expect(nodeModuleShipped('node_modules/better-sqlite3/build/Release/better_sqlite3.node', config)).toBe(true);

    // Every other production dependency (bundled into main.cjs, or the CLI's) stays out.
    const production = Object.keys((JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
    const unneeded = dependencyClosure(production).filter((dir) => !needed.includes(dir));
    expect(unneeded).toEqual(expect.arrayContaining(['node_modules/vite', 'node_modules/tsx', 'node_modules/pg', 'node_modules/ioredis', 'node_modules/zod']));
    expect(unneeded.filter((dir) => nodeModuleShipped(`${dir}/package.json`, config))).toEqual([]);
    // Development-only packages are never production dependencies; even so, none is let through.
    for (const dev of ['typescript', 'vitest', 'playwright-core', 'electron-builder', '@types/node', 'esbuild']) expect(nodeModuleShipped(`node_modules/${dev}/package.json`, config), dev).toBe(false);
  });
});
