/**
 * The one masker for text that may carry secrets: connection URLs, error messages, response
 * bodies, notes. Errs on the side of hiding too much: a URL password is everything after the
 * first colon of the user-info up to the LAST `@` of the token, because people type unescaped
 * `@` and `/` into passwords.
 *
 * Every function here is a single forward scan (indexOf and character loops, no backtracking
 * regular expression over the input), so its cost is linear in the text: a 1 MB body of
 * adversarial text is masked in milliseconds (`bench/redaction.ts` prints the figures).
 */
import { looksSecretName } from './secret-names';

const MASK = '*****';

const code = (s: string, i: number) => s.charCodeAt(i);
/** Whitespace, control characters and quotes end a URL-ish token in free text. */
const endsToken = (c: number) => c <= 0x20 || c === 0x22 /* " */ || c === 0x27 /* ' */ || c === 0x60 /* ` */ || c === 0x3c /* < */ || c === 0x3e /* > */;
/** The user part of user-info stops at these (and at the end of the token). */
const endsUser = (c: number) => endsToken(c) || c === 0x3a /* : */ || c === 0x2f /* / */ || c === 0x40; /* @ */

/**
 * `scheme://user:password@host` → `scheme://user:*****@host`, for every `://` in the text
 * (nested URLs too). The token end and its last `@` are computed once per token, so a text full
 * of `a://a://…` stays linear.
 */
function maskUserInfo(text: string): string {
  let out = '';
  let copied = 0;
  let tokenEnd = -1;
  let tokenLastAt = -1;
  for (let idx = text.indexOf('://'); idx !== -1; idx = text.indexOf('://', idx + 3)) {
    const p = idx + 3;
    if (p < copied) continue; // inside a password already masked
    if (p >= tokenEnd) {
      tokenEnd = p;
      tokenLastAt = -1;
      for (; tokenEnd < text.length && !endsToken(code(text, tokenEnd)); tokenEnd++) if (code(text, tokenEnd) === 0x40) tokenLastAt = tokenEnd;
    }
    let u = p;
    while (u < tokenEnd && !endsUser(code(text, u))) u++;
    if (u < tokenEnd && code(text, u) === 0x3a && tokenLastAt > u) {
      out += `${text.slice(copied, u + 1)}${MASK}`;
      copied = tokenLastAt;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const endsParamName = (c: number) => c <= 0x20 || c === 0x3d /* = */ || c === 0x26 /* & */ || c === 0x23 /* # */ || c === 0x3f /* ? */ || c === 0x3b /* ; */ || c === 0x27 || c === 0x22;
const endsParamValue = (c: number) => c <= 0x20 || c === 0x26 || c === 0x23 || c === 0x3b || c === 0x27 || c === 0x22;
const isParamSeparator = (c: number) => c === 0x3f /* ? */ || c === 0x26 /* & */ || c === 0x3b; /* ; */

/**
 * `?password=x`, `&api_key=x`, `;token=x` → the value masked. One forward pass. The value of a
 * parameter that is not secret may hold another one (`?page=2?token=x`: `?` does not end a
 * value), so the scan goes on inside it; value ends are remembered, so it stays linear.
 */
function maskQueryParams(text: string): string {
  let out = '';
  let copied = 0;
  let valueStart = -1;
  let valueEnd = -1;
  let i = 0;
  while (i < text.length) {
    if (!isParamSeparator(code(text, i))) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < text.length && !endsParamName(code(text, j))) j++;
    if (j === i + 1 || j >= text.length || code(text, j) !== 0x3d) {
      i = j;
      continue;
    }
    if (j + 1 < valueStart || j + 1 > valueEnd) {
      valueStart = j + 1;
      valueEnd = j + 1;
      while (valueEnd < text.length && !endsParamValue(code(text, valueEnd))) valueEnd++;
    }
    const k = valueEnd;
    const value = text.slice(j + 1, k);
    if (value.length > 0 && value !== MASK && looksSecretName(text.slice(i + 1, j))) {
      out += `${text.slice(copied, j + 1)}${MASK}`;
      copied = k;
      i = k;
    } else {
      i = j + 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Removes the password and secret query parameters of every URL in a message before it is shown. */
export function scrubMessage(message: string): string {
  return maskQueryParams(maskUserInfo(message));
}

/** Replaces the password in a connection URL so it can be shown, logged or sent to the UI. */
export function maskUrl(raw: string): string {
  const masked = scrubMessage(raw);
  try {
    const url = new URL(masked);
    if (url.password) url.password = MASK;
    for (const key of [...url.searchParams.keys()]) {
      if (looksSecretName(key)) url.searchParams.set(key, MASK);
    }
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}

const isWordChar = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d || c === 0x2e;
const isHorizontalSpace = (c: number) => c === 0x20 || c === 0x09;
/** Characters of an unquoted value (`password=hunter2`, `token: abc.def`). */
const endsBareValue = (c: number) => c <= 0x20 || c === 0x26 || c === 0x22 || c === 0x27 || c === 0x2c || c === 0x3b || c === 0x3c || c === 0x3e || c === 0x29 || c === 0x5d || c === 0x7d || c === 0x3a || c === 0x3d;
/** Characters of a token that may follow a scheme word (`Bearer eyJ…`). */
const isTokenChar = (c: number) => c > 0x20 && c !== 0x22 && c !== 0x27 && c !== 0x2c && c !== 0x3b && c !== 0x3c && c !== 0x3e;
const AUTH_SCHEMES = new Set(['bearer', 'basic', 'token', 'digest', 'apikey']);

/** Prefixes of well-known credentials that need no name beside them to be recognised. */
const TOKEN_PREFIXES = ['eyJ', 'sk_live_', 'sk_test_', 'rk_live_', 'rk_test_', 'pk_live_', 'whsec_', 'ghp_', 'gho_', 'ghs_', 'github_pat_', 'xoxb-', 'xoxp-', 'xapp-', 'AKIA', 'ASIA', 'AIza', 'glpat-', 'npm_', 'SG.'];
const MIN_TOKEN_TAIL = 8;

/**
 * `name = value`, `name: value`, `"name": "value"` where the name looks secret, and
 * `Bearer <token>` after it; then bare well-known tokens (JWTs, `sk_live_…`, `whsec_…`).
 *
 * A masked token may hold the start of the next secret (`token client_secret: X`, `Bearer
 * api_key=X`: the token runs to the next space, over the name and its separator), so after a
 * token is masked the scan goes on at the token's start, word by word, never jumping past it:
 * what lies inside an already masked span stays masked, what a name inside it points at is
 * masked too. Token ends are remembered (one scan per run of token characters), so each
 * character is still looked at a bounded number of times.
 */
function maskKeyValuesAndTokens(text: string): string {
  let out = '';
  let copied = 0;
  const mask = (start: number, to: number) => {
    const from = Math.max(start, copied);
    if (to <= from || text.slice(from, to) === MASK) return;
    out += `${text.slice(copied, from)}${MASK}`;
    copied = to;
  };
  // tokenEnd(from) is the same for every `from` inside one run of token characters.
  let runStart = -1;
  let runEnd = -1;
  const tokenEnd = (from: number) => {
    if (from >= runStart && from <= runEnd) return runEnd;
    runStart = from;
    runEnd = from;
    while (runEnd < text.length && isTokenChar(code(text, runEnd))) runEnd++;
    return runEnd;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = code(text, i);
    if (!isWordChar(c) || (i > 0 && isWordChar(code(text, i - 1)))) {
      i++;
      continue;
    }
    let w = i;
    while (w < n && isWordChar(code(text, w))) w++;
    const word = text.slice(i, w);
    if (TOKEN_PREFIXES.some((p) => word.startsWith(p)) && tokenEnd(i) - i >= MIN_TOKEN_TAIL + 3) {
      mask(i, tokenEnd(i));
      i = w; // on into the token: a name inside it still gets its value masked
      continue;
    }
    // `Bearer <token>` / `Basic <credentials>` anywhere, named or not.
    const bearerEnd = (word === 'Bearer' || word === 'bearer' || word === 'Basic') && w < n && code(text, w) === 0x20 ? tokenEnd(w + 1) : -1;
    if (bearerEnd - (w + 1) >= MIN_TOKEN_TAIL && !text.slice(w + 1, bearerEnd).includes(MASK)) {
      mask(w + 1, bearerEnd);
      i = w + 1;
      continue;
    }
    if (!looksSecretName(word)) {
      i = w;
      continue;
    }
    // name, an optional closing quote, spaces, `=` / `:` / `:=`: then a value.
    let j = afterSeparator(text, w);
    if (j === -1) {
      i = w;
      continue;
    }
    // A value that is itself followed by a separator was a name (`token: "api_key": "x"`):
    // it is masked too, and so is the value after it, each step moving forward.
    for (;;) {
      while (j < n && isHorizontalSpace(code(text, j))) j++;
      const quote = j < n && (code(text, j) === 0x22 || code(text, j) === 0x27) ? code(text, j) : 0;
      if (quote) j++;
      let k = j;
      if (quote) {
        while (k < n && code(text, k) !== quote && code(text, k) !== 0x0a) k += code(text, k) === 0x5c /* \ */ ? 2 : 1;
        k = Math.min(k, n);
      } else {
        while (k < n && !endsBareValue(code(text, k))) k++;
      }
      const value = text.slice(j, k);
      // `Authorization: Bearer <token>`: the scheme word is kept, the token after it masked.
      if (!quote && AUTH_SCHEMES.has(value.toLowerCase()) && k < n && code(text, k) === 0x20) {
        mask(k + 1, tokenEnd(k + 1));
        i = k + 1;
        break;
      }
      const space = quote ? value.indexOf(' ') : -1;
      if (space > 0 && AUTH_SCHEMES.has(value.slice(0, space).toLowerCase())) mask(j + space + 1, k);
      else mask(j, k);
      i = k;
      const next = afterSeparator(text, k);
      if (next === -1) break;
      j = next;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** After `name`: an optional closing quote, spaces and `=`, `:` or `:=`; the index after it, or -1. */
function afterSeparator(text: string, from: number): number {
  let j = from;
  if (j < text.length && (code(text, j) === 0x22 || code(text, j) === 0x27)) j++;
  while (j < text.length && isHorizontalSpace(code(text, j))) j++;
  if (code(text, j) === 0x3a && code(text, j + 1) === 0x3d) return j + 2;
  if (code(text, j) === 0x3d || code(text, j) === 0x3a) return j + 1;
  return -1;
}

/**
 * Everything `scrubMessage` hides, plus secrets written as `name=value` / `"name": "value"`,
 * bearer tokens and well-known token shapes: for bodies and free text a person typed.
 */
export function maskSecretsInText(text: string): string {
  // The passes only ever turn text into `*****`; one pass can expose a shape another pass hides
  // (a masked value next to `?name=`), so they run until nothing changes (in practice ≤ 3 times).
  let current = text;
  for (let round = 0; round < 6; round++) {
    const next = maskKeyValuesAndTokens(scrubMessage(current));
    if (next === current) return next;
    current = next;
  }
  return current;
}
