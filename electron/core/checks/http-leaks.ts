/** What an error body must not contain: stack traces, SQL, file paths, framework internals. */
export type LeakKind = 'stack trace' | 'SQL' | 'file path' | 'framework internals';

const PATTERNS: { kind: LeakKind; re: RegExp }[] = [
  { kind: 'stack trace', re: /Traceback \(most recent call last\)/ },
  { kind: 'stack trace', re: /\bat (?:async )?[\w.$<>[\] ]*\(?[^\s()]+:\d+:\d+\)?/ },
  { kind: 'stack trace', re: /File "[^"]+", line \d+/ },
  { kind: 'SQL', re: /\b(SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM)\b[^"\n]{0,200}?\b(FROM|VALUES|SET|WHERE)\b/i },
  { kind: 'SQL', re: /syntax error at or near|relation "[^"]+" does not exist|duplicate key value violates|column "[^"]+" does not exist/i },
  { kind: 'file path', re: /(?:^|[\s"'(])(\/(?:home|usr|var|app|srv|opt|Users|tmp|work|root|code|src)\/[^\s"':]+)/ },
  // Any absolute path that ends in a source file, wherever the code is deployed (/check/…, /deploy/…).
  { kind: 'file path', re: /(?:^|[\s"'(])(?:\/[\w.@+-]+){2,}\.(?:[cm]?[jt]sx?|py|rb|go|java|kt|php|rs|cs|ex|exs)\b/ },
  { kind: 'file path', re: /\b[A-Z]:\\[^\s"']+/ },
  { kind: 'framework internals', re: /node_modules|site-packages|starlette|uvicorn|sqlalchemy|asyncpg|psycopg|werkzeug|django|pydantic|express\/lib/i },
];

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
