/** electron-builder.yml as the tests read it: the config, and which project files its `files` list ships. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { minimatch } from 'minimatch';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../harness/cli';

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
