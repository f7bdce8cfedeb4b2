/**
 * Reads a profile: YAML with positions (yaml's Document + LineCounter), `${VAR}` interpolation
 * from the process environment, zod validation, then cross-references (check ids, unique step
 * ids). Every problem is reported as file:line:column, the field and what was expected.
 */
import { resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { resolveAlertRules } from '../watch/alert-rules';
import { maskSecretsInText } from '../util/redact';
import { findLiteralCredentials } from './literal-credentials';
import { Profile } from './schema';
import { FileRefusedError, formatBytes, MAX_PROFILE_BYTES, readRegularFile } from '../util/read-file';
import { InputError } from '../util/errors';

export interface ProfileIssue {
  line: number;
  column: number;
  /** Dotted field path, e.g. environments[0].kind */
  field: string;
  message: string;
}

/**
 * Every problem with a profile, each as file:line:column, field and message. Messages are built
 * from user values (interpolated ones too), so each passes through the one masker here, whatever
 * face shows it (CLI, the bridge's checks.profiles, IPC).
 */
export class ProfileError extends InputError {
  override readonly code = 'invalid_profile';
  readonly issues: ProfileIssue[];
  constructor(
    readonly file: string,
    issues: ProfileIssue[],
  ) {
    const masked = issues.map((i) => ({ ...i, message: maskSecretsInText(i.message) }));
    // Line 0: a problem with the file as a whole (unreadable, too large), not at a position.
    super(masked.map((i) => (i.line > 0 ? `${file}:${i.line}:${i.column} ${i.field || '(document)'}: ${i.message}` : `${file}: ${i.message}`)).join('\n'));
    this.issues = masked;
    this.name = 'ProfileError';
  }
}

export interface LoadedProfile {
  profile: Profile;
  /** Absolute path of the file, so relative paths in it resolve against its folder. */
  file: string;
}

export interface LoadOptions {
  /** Variables for `${VAR}`; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Check ids that exist; steps and fixes naming any other id are errors. */
  knownCheckIds?: ReadonlySet<string>;
}

type PathKey = string | number;

function formatPath(path: readonly PathKey[]): string {
  return path.reduce<string>((acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${k}` : k), '');
}

/** The node at `path`, or the deepest existing ancestor (a missing key points at its parent). */
function nodeAt(doc: Document, path: readonly PathKey[]): Node | null {
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === key);
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof key === 'number' && node.items[key]) {
      node = node.items[key];
    } else break;
  }
  return (node as Node | null) ?? null;
}

/** Position of an unknown key itself, so "unexpected key" points at the typo. */
function keyNodeAt(doc: Document, path: readonly PathKey[], key: string): Node | null {
  const parent = nodeAt(doc, path);
  if (!isMap(parent)) return parent;
  const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
  return (pair?.key as Node | undefined) ?? parent;
}

function position(node: Node | null, lines: LineCounter): { line: number; column: number } {
  const offset = node?.range?.[0] ?? 0;
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** A value quoted in an error: masked first (a cut URL would hide its own `@`), then cut to 60 characters. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = maskSecretsInText(JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function zodIssues(doc: Document, lines: LineCounter, error: z.ZodError, filled: ReadonlyMap<Node, string[]>): ProfileIssue[] {
  const out: ProfileIssue[] = [];
  for (const issue of error.issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({ ...position(keyNodeAt(doc, path, key), lines), field: formatPath([...path, key]), message: `unexpected key "${key}" (misspelt? see docs/profiles.md for the keys allowed here)` });
      }
      continue;
    }
    const node = nodeAt(doc, path);
    const present = doc.hasIn(path);
    const got = present ? doc.getIn(path) : undefined;
    const got2 = isScalar(got) ? got.value : got && typeof got === 'object' && 'toJSON' in got ? (got as { toJSON(): unknown }).toJSON() : got;
    const detail = issue.code === 'invalid_union' ? 'expected one of the allowed forms (see docs/profiles.md)' : issue.message;
    // A value taken from the environment is never quoted back: it may be a secret.
    const vars = node ? filled.get(node) : undefined;
    const shown = vars ? `the value of \${${vars.join('}, ${')}} (${String(got2).length} characters, not shown)` : describeValue(got2);
    out.push({ ...position(node, lines), field: formatPath(path), message: present ? `${detail}; got ${shown}` : `required: ${detail}` });
  }
  return out;
}

/** The field path of a node from yaml's visitor ancestry (Pair → key, Seq → index). */
function visitorPath(ancestry: readonly unknown[]): string {
  const keys: PathKey[] = [];
  ancestry.forEach((item, i) => {
    if (isPair(item)) keys.push(String(isScalar(item.key) ? item.key.value : item.key));
    else if (isSeq(item)) keys.push(item.items.indexOf(ancestry[i + 1] as never));
  });
  return formatPath(keys);
}

const INTERPOLATION = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string scalar; an unset VAR without default is
 * an issue. Returns which scalars took a value from which variables (for the credential refusal).
 */
function interpolate(doc: Document, lines: LineCounter, env: NodeJS.ProcessEnv, issues: ProfileIssue[]): Map<Node, string[]> {
  const filled = new Map<Node, string[]>();
  visit(doc, {
    Scalar(_key, node, path) {
      if (typeof node.value !== 'string' || !node.value.includes('${')) return;
      node.value = node.value.replace(INTERPOLATION, (_m, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined && value !== '') {
          filled.set(node, [...(filled.get(node) ?? []), name]);
          return value;
        }
        if (fallback !== undefined) return fallback;
        issues.push({ ...position(node, lines), field: visitorPath([...path, node]), message: `\${${name}} is not set: export ${name} or give a default as \${${name}:-value}` });
        return '';
      });
    },
  });
  return filled;
}

function crossReferences(doc: Document, lines: LineCounter, profile: Profile, known: ReadonlySet<string> | undefined): ProfileIssue[] {
  const issues: ProfileIssue[] = [];
  const at = (path: PathKey[], message: string) => issues.push({ ...position(nodeAt(doc, path), lines), field: formatPath(path), message });
  const unique = (values: string[], path: (i: number) => PathKey[], what: string) => {
    const seen = new Set<string>();
    values.forEach((v, i) => {
      if (seen.has(v)) at(path(i), `duplicate ${what} "${v}"`);
      seen.add(v);
    });
  };
  unique(profile.environments.map((e) => e.name), (i) => ['environments', i, 'name'], 'environment name');
  profile.environments.forEach((env, i) => {
    for (const target of ['postgres', 'redis'] as const) {
      const url = env.targets[target]?.url;
      if (url && typeof url === 'object' && !(url.secret in env.secrets)) at(['environments', i, 'targets', target, 'url', 'secret'], `names secret "${url.secret}", which this environment's "secrets" does not define`);
    }
    // A rate limit probed as a bearer identity needs its secret in every environment with an API.
    (profile.expectations.http?.rateLimits ?? []).forEach((limit, li) => {
      const secret = typeof limit.identity === 'object' ? limit.identity.bearer.secret : null;
      if (secret && limit.probe && env.targets.api && !(secret in env.secrets)) {
        at(['expectations', 'http', 'rateLimits', li, 'identity', 'bearer', 'secret'], `names secret "${secret}", which environment "${env.name}" does not define in its "secrets"`);
      }
    });
  });
  const phases = profile.checklist?.phases ?? [];
  unique(phases.map((p) => p.id), (i) => ['checklist', 'phases', i, 'id'], 'phase');
  const steps = phases.flatMap((p, pi) => p.steps.map((s, si) => ({ s, path: ['checklist', 'phases', pi, 'steps', si] as PathKey[] })));
  unique(steps.map((x) => x.s.id), (i) => [...steps[i]!.path, 'id'], 'step id');
  if (known) {
    for (const { s, path } of steps) s.checks.forEach((id, ci) => known.has(id) || at([...path, 'checks', ci], `unknown check id "${id}" (run \`preflight check --list\` for the catalogue)`));
    profile.fixes.forEach((f, fi) => f.verifiedBy.forEach((id, ci) => known.has(id) || at(['fixes', fi, 'verifiedBy', ci], `unknown check id "${id}"`)));
  }
  // Alert rules: known metrics, thresholds owned by their checks (watch/alert-rules.ts).
  for (const p of resolveAlertRules(profile).problems) at(p.path, p.message);
  return issues;
}

/**
 * How many alias dereferences one document may make while being turned into data (yaml's
 * default is 100): enough for shared anchors, far too few for an exponential alias bomb.
 */
export const MAX_YAML_ALIAS_COUNT = 100;

export function parseProfile(text: string, file: string, options: LoadOptions = {}): Profile {
  // Also for text that did not come from a file (the index expectations of the UI).
  if (Buffer.byteLength(text, 'utf8') > MAX_PROFILE_BYTES) {
    throw new ProfileError(file, [{ line: 0, column: 0, field: '', message: `the profile is ${formatBytes(Buffer.byteLength(text, 'utf8'))}, over the ${formatBytes(MAX_PROFILE_BYTES)} limit: it is refused before parsing` }]);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ProfileError(
      file,
      // The first errors are the useful ones: later ones cascade from the first.
      doc.errors.slice(0, 3).map((e) => {
        const { line, col } = lines.linePos(e.pos[0]);
        return { line, column: col, field: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    );
  }
  const issues: ProfileIssue[] = [];
  const filled = interpolate(doc, lines, options.env ?? process.env, issues);
  if (issues.length > 0) throw new ProfileError(file, issues);
  // Before validation: no later message may quote a URL that carries a credential.
  const credentials = findLiteralCredentials(doc, filled).map((c) => ({ ...position(c.node, lines), field: formatPath(c.path), message: c.message }));
  if (credentials.length > 0) throw new ProfileError(file, credentials);
  let plain: unknown;
  try {
    plain = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
  } catch (err) {
    // yaml refuses an alias expansion past the bound (a "billion laughs" bomb) with a ReferenceError.
    throw new ProfileError(file, [{ line: 0, column: 0, field: '', message: `YAML aliases expand too far (${(err as Error).message.split('\n')[0]}): write the values out, or use fewer aliases` }]);
  }
  const parsed = Profile.safeParse(plain);
  if (!parsed.success) throw new ProfileError(file, zodIssues(doc, lines, parsed.error, filled));
  const refs = crossReferences(doc, lines, parsed.data, options.knownCheckIds);
  if (refs.length > 0) throw new ProfileError(file, refs);
  return parsed.data;
}

export function loadProfile(path: string, options: LoadOptions = {}): LoadedProfile {
  const file = resolve(path);
  let text: string;
  try {
    text = readRegularFile(file, MAX_PROFILE_BYTES);
  } catch (err) {
    const reason = err instanceof FileRefusedError ? err.reason : (err as Error).message;
    throw new ProfileError(path, [{ line: 0, column: 0, field: '', message: `cannot read the profile: it ${reason}` }]);
  }
  return { profile: parseProfile(text, path, options), file };
}
