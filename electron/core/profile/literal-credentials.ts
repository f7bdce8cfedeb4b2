/**
 * A profile never holds a credential: every URL written in it (a target of any kind — postgres,
 * redis, the API, webhooks, origins — or any other string field) is parsed, and one that carries
 * a password (`user:password@`, `:password@`) or a credential-like query parameter (`password=`,
 * `token=`, `api_key=`, `sslpassword=`…) is refused with its line. Credentials come from
 * `secrets` (`{ secret: name }`), which the file only names. A URL that `${VAR}` interpolation
 * filled in is refused too, with the variable named, because the profile (and every error about
 * it) would then carry the value.
 *
 * Parsed by hand rather than by WHATWG URL, because the URLs that must be refused are often not
 * valid URLs: an unescaped `/` or `@` in the password.
 */
import { isMap, isPair, isScalar, isSeq, visit, type Document, type LineCounter, type Node, type Scalar } from 'yaml';
import { isCredentialParam } from '../util/secret-names';

/** Fields that hold regular expressions, not URLs: `postgres://[^:]+:[^@]+@` there is a pattern. */
const PATTERN_KEYS = new Set(['pattern', 'forbiddenPatterns', 'checkPattern']);
/** Fields that may hold a libpq keyword/value string (`host=db password=x`) instead of a URL. */
const CONNECTION_KEYS = new Set(['url', 'dsn', 'connectionString']);

const isSchemeChar = (c: string) => /[A-Za-z0-9+.-]/.test(c);
const endsUrl = (c: string) => c <= ' ' || c === '"' || c === "'" || c === '<' || c === '>' || c === '`';

/** What credential a string carries, described without its value; null when it carries none. */
function credentialIn(text: string, options: { connectionString?: boolean } = {}): string | null {
  // Each whitespace- or quote-delimited token that holds `scheme://` is judged once (nested URLs
  // such as `?target=postgres://u:pw@h` included), so the cost stays linear in the text.
  for (let idx = text.indexOf('://'); idx !== -1; ) {
    let start = idx;
    while (start > 0 && !endsUrl(text[start - 1]!)) start--;
    let end = idx + 3;
    while (end < text.length && !endsUrl(text[end]!)) end++;
    const found = tokenCredential(text.slice(start, end));
    if (found) return found;
    idx = text.indexOf('://', end);
  }
  if (options.connectionString && !text.includes('://')) {
    for (const pair of text.split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1 && isCredentialParam(pair.slice(0, eq))) return `a "${pair.slice(0, eq)}" keyword`;
    }
  }
  return null;
}

/** One token with one or more `scheme://` in it. */
function tokenCredential(token: string): string | null {
  // user-info: the user runs to the first `:`, `/`, `@`, `?`, `#`; a password runs from that `:`
  // to the LAST `@` of the token (people write unescaped `/` and `@` in passwords).
  const lastAt = token.lastIndexOf('@');
  for (let idx = token.indexOf('://'); idx !== -1; idx = token.indexOf('://', idx + 3)) {
    if (idx === 0 || !isSchemeChar(token[idx - 1]!)) continue;
    let u = idx + 3;
    while (u < token.length && !':/@?#'.includes(token[u]!)) u++;
    if (token[u] === ':' && lastAt > u + 1) return 'a password (user:password@)';
  }
  // Query parameters anywhere in the token: name=value pieces between `?`, `&` and `;`.
  for (const piece of token.split(/[?&;#]/)) {
    const eq = piece.indexOf('=');
    if (eq <= 0 || eq === piece.length - 1) continue;
    let name = piece.slice(0, eq);
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // keep the raw name
    }
    if (isCredentialParam(name)) return `a "${name}" query parameter`;
  }
  return null;
}

export interface CredentialIssue {
  node: Node;
  path: (string | number)[];
  message: string;
}

/**
 * Every string scalar of the document that carries a credential. `interpolated` maps a scalar to
 * the `${VAR}` names that filled it in, so the message can say where the value came from.
 */
export function findLiteralCredentials(doc: Document, interpolated: ReadonlyMap<Node, string[]>): CredentialIssue[] {
  const issues: CredentialIssue[] = [];
  visit(doc, {
    Scalar(_key, node: Scalar, ancestry) {
      if (typeof node.value !== 'string' || node.value.length === 0) return;
      const path = pathOf(ancestry, node);
      const key = [...path].reverse().find((k): k is string => typeof k === 'string') ?? '';
      if (PATTERN_KEYS.has(key)) return;
      // A map key is a name, not a value.
      const parent = ancestry[ancestry.length - 1];
      if (isPair(parent) && parent.key === node) return;
      const found = credentialIn(node.value, { connectionString: CONNECTION_KEYS.has(key) });
      if (!found) return;
      const vars = interpolated.get(node);
      const fix = 'put the URL in a secret (an environment variable or keychain entry under the environment\'s "secrets") and write { secret: name }';
      issues.push({
        node,
        path,
        message: vars?.length
          ? `carries ${found} from \${${vars.join('}, ${')}}: a profile never holds a credential; declare it under "secrets" (e.g. { env: ${vars[0]} }) and write { secret: name }`
          : `carries ${found}: a profile never holds a credential; ${fix}`,
      });
    },
  });
  return issues;
}

function pathOf(ancestry: readonly unknown[], node: Node): (string | number)[] {
  const keys: (string | number)[] = [];
  const chain = [...ancestry, node];
  chain.forEach((item, i) => {
    if (isPair(item)) keys.push(String(isScalar(item.key) ? item.key.value : item.key));
    else if (isSeq(item)) keys.push(item.items.indexOf(chain[i + 1] as never));
    else if (isMap(item)) return;
  });
  return keys;
}

export type { LineCounter };
