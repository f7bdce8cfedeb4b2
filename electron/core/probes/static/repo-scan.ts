/** Pattern rules over a local checkout (e.g. no `alert(` under frontend/app in .ts/.tsx). */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stripComments } from './strip-comments';

export interface RepoRule {
  id: string;
  description: string;
  under: string;
  extensions: string[];
  pattern: string;
  ignoreComments: boolean;
}

export interface RepoFinding {
  file: string;
  line: number;
  /** The matching line, trimmed to 120 characters. */
  text: string;
}

export interface RepoRuleResult {
  id: string;
  description: string;
  under: string;
  directoryFound: boolean;
  filesScanned: number;
  findings: RepoFinding[];
}

export interface RepoObservation {
  root: string;
  rules: RepoRuleResult[];
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.next', 'dist', 'build', 'coverage']);

async function listFiles(dir: string, extensions: string[]): Promise<string[] | null> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const files: string[] = [];
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory() && !SKIPPED_DIRS.has(e.name)) files.push(...((await listFiles(path, extensions)) ?? []));
    else if (e.isFile() && extensions.some((x) => e.name.endsWith(x))) files.push(path);
  }
  return files;
}

async function scanRule(root: string, rule: RepoRule): Promise<RepoRuleResult> {
  const files = await listFiles(join(root, rule.under), rule.extensions);
  const regex = new RegExp(rule.pattern, 'g');
  const findings: RepoFinding[] = [];
  for (const file of files ?? []) {
    const original = await readFile(file, 'utf8');
    const text = rule.ignoreComments ? stripComments(original) : original;
    const originalLines = original.split('\n');
    text.split('\n').forEach((line, i) => {
      regex.lastIndex = 0;
      if (regex.test(line)) findings.push({ file: relative(root, file), line: i + 1, text: (originalLines[i] ?? line).trim().slice(0, 120) });
    });
  }
  return { id: rule.id, description: rule.description, under: rule.under, directoryFound: files !== null, filesScanned: files?.length ?? 0, findings };
}

export async function observeRepo(root: string, rules: RepoRule[]): Promise<RepoObservation> {
  // No checkout at all is a probe failure (unknown), not a clean or dirty result.
  await readdir(root).catch((err: NodeJS.ErrnoException) => {
    throw new Error(`cannot read the repository checkout ${root}: ${err.code ?? err.message}`);
  });
  return { root, rules: await Promise.all(rules.map((r) => scanRule(root, r))) };
}
