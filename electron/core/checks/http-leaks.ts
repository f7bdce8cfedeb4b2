/** What an error body must not contain: stack traces, SQL, file paths, framework internals. */
export type LeakKind = 'stack trace' | 'SQL' | 'file path' | 'framework internals';

/** The first match of a detector: where it starts and how long it is. */
type Detector = { exec(text: string): { index: number; 0: string } | null };

const PATTERNS: { kind: LeakKind; re: Detector }[] = [
  { kind: 'stack trace', re: /Traceback \(most recent call last\)/ },
  // A JavaScript frame (`at fn (file:1:2)`) is found by a scanner: as a regex it backtracks
  // quadratically on long runs of words (`at at at …`).
  { kind: 'stack trace', re: { exec: findJsStackFrame } },
  { kind: 'stack trace', re: /File "[^"]+", line \d+/ },
  { kind: 'SQL', re: /\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM)\b[^"\n]{0,200}?\b(FROM|VALUES|SET|WHERE)\b/i },
  { kind: 'SQL', re: /syntax error at or near|relation "[^"]+" does not exist|duplicate key value violates|column "[^"]+" does not exist/i },
  { kind: 'file path', re: /(?:^|[\s"'(])(\/(?:home|usr|var|app|srv|opt|Users|tmp|work|root|code|src)\/[^\s"':]+)/ },
  // Any absolute path that ends in a source file, wherever the code is deployed (/check/…, /deploy/…).
  { kind: 'file path', re: /(?:^|[\s"'(])(?:\/[\w.@+-]+){2,}\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|php|rs|cs|ex|exs)\b/ },
  { kind: 'file path', re: /\b[A-Z]:\\[^\s"']+/ },
  { kind: 'framework internals', re: /node_modules|site-packages|starlette|uvicorn|sqlalchemy|asyncpg|psycopg|werkzeug|django|pydantic|express\/lib/i },
];

const isWord = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;
/** Characters of a function name between `at ` and its location: word characters, `.$<>[]` and spaces. */
const isNameChar = (c: number) => isWord(c) || c === 0x2e || c === 0x24 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x20;

/**
 * `at [async ][name ](location:line:col)` in one forward pass: the latest `at ` of the line,
 * the first character after it that cannot be part of a name, and the start of the current
 * run of location characters are tracked as the scan goes, so each `:line:col` is judged in
 * constant time.
 */
function findJsStackFrame(text: string): { index: number; 0: string } | null {
  let head = -1; // index of the latest `at ` that may start a frame
  let badAfterHead = -1; // first non-name character after it, -1 while none
  let locationStart = 0; // start of the current run of characters other than whitespace and parentheses
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) head = -1;
    if (isSpace(c) || c === 0x28 || c === 0x29) locationStart = i + 1;
    if (c === 0x61 /* a */ && text.charCodeAt(i + 1) === 0x74 /* t */ && text.charCodeAt(i + 2) === 0x20 && (i === 0 || !isWord(text.charCodeAt(i - 1)))) {
      head = i;
      badAfterHead = -1;
      i += 2;
      locationStart = i + 1;
      continue;
    }
    if (head !== -1 && badAfterHead === -1 && !isNameChar(c)) badAfterHead = i;
    if (c !== 0x3a || head === -1 || locationStart >= i || !isDigit(text.charCodeAt(i + 1))) continue;
    let j = i + 1;
    while (isDigit(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== 0x3a || !isDigit(text.charCodeAt(j + 1))) continue;
    j++;
    while (isDigit(text.charCodeAt(j))) j++;
    const nameEnd = text.charCodeAt(locationStart - 1) === 0x28 ? locationStart - 1 : locationStart;
    if (badAfterHead !== -1 && badAfterHead < nameEnd) continue;
    if (text.charCodeAt(j) === 0x29) j++;
    return { index: head, 0: text.slice(head, j) };
  }
  return null;
}

export interface LeakFinding {
  kind: LeakKind;
  excerpt: string;
}

/** Each kind once, with a short excerpt around the first match. */
export function findLeaks(body: string): LeakFinding[] {
  const found = new Map<LeakKind, string>();
  for (const { kind, re } of PATTERNS) {
    if (found.has(kind)) continue;
    const m = re.exec(body);
    if (m) found.set(kind, excerptAround(body, m.index, m[0].length));
  }
  return [...found].map(([kind, ex]) => ({ kind, excerpt: ex }));
}

export function excerptAround(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 20);
  const end = Math.min(text.length, index + Math.min(length, 100) + 20);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ')}${end < text.length ? '…' : ''}`;
}
