/** electron-builder.yml as the tests read it: the config, and which project files its `files` list ships. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../harness/cli';

const fileMatcher = createRequire(import.meta.url)('app-builder-lib/out/fileMatcher') as {
  getNodeModuleFileMatcher(appDir: string, destination: string, expand: (s: string) => string, platformOptions: object, packager: object): { createFilter(): (file: string, stat: object) => boolean };
};

export interface BuilderConfig {
  files: string[];
  [key: string]: unknown;
}

export function builderConfig(): BuilderConfig {
  return parse(readFileSync(join(PROJECT_ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/** electron-builder's rule: a path ships when the last pattern that matches it is not negated. */
export function shipped(path: string, patterns: string[]): boolean {
  let included = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (minimatch(path, pattern.slice(1), { dot: true })) included = false;
    } else if (minimatch(path, pattern, { dot: true })) included = true;
  }
  return included;
}

/** Every file under `root` (relative, '/'-separated), skipping node_modules and .git. */
export function filesUnder(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.git') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(root, path));
    else out.push(relative(root, path).split('\\').join('/'));
  }
  return out;
}

/**
 * Whether electron-builder copies a file of node_modules into the app, decided by its own
 * matcher (app-builder-lib's getNodeModuleFileMatcher: every production dependency, minus the
 * negated patterns of `files`). `path` is relative to the project, e.g. node_modules/vite/package.json.
 */
export function nodeModuleShipped(path: string, config: BuilderConfig): boolean {
  const matcher = fileMatcher.getNodeModuleFileMatcher(PROJECT_ROOT, '/app', (s: string) => s, {}, { config, debugLogger: { isEnabled: false } });
  const filter = matcher.createFilter();
  return filter(join(PROJECT_ROOT, path), { moduleFullFilePath: path, isDirectory: () => false });
}

/** Package folders (relative, e.g. node_modules/a/node_modules/b) of `names` and everything they depend on, as installed. */
export function dependencyClosure(names: string[]): string[] {
  const found = new Set<string>();
  const locate = (name: string, from: string): string | null => {
    for (let dir = from; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return join(dir, 'node_modules', name);
      if (dirname(dir) === dir) return null;
    }
  };
  const walk = (name: string, from: string) => {
    const dir = locate(name, from);
    if (!dir || found.has(dir)) return;
    found.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: object; optionalDependencies?: object };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) walk(dep, dir);
  };
  for (const name of names) walk(name, PROJECT_ROOT);
  return [...found].map((dir) => relative(PROJECT_ROOT, dir).split('\\').join('/')).sort();
}

/** The packages a bundle loads from node_modules at run time: require("x") / import("x") that are not Node built-ins. */
export function bundleExternals(bundle: string): string[] {
  const names = new Set<string>();
  for (const [, spec] of bundle.matchAll(/\b(?:require|import)\("([^"./][^"]*)"\)/g)) {
    if (spec!.startsWith('node:') || isBuiltin(spec!)) continue;
    const parts = spec!.split('/');
    names.add(spec!.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...names].sort();
}
