/**
 * Recognises the statement shapes the runner and the linter act on. A regex reading, not a SQL
 * parser: enough for migration DDL, and a statement it cannot read is simply run as written.
 */
const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QUALIFIED = String.raw`${IDENT}(?:\s*\.\s*${IDENT})?`;

export interface QualifiedName {
  schema: string;
  name: string;
}

export interface CreateIndexShape {
  unique: boolean;
  concurrently: boolean;
  ifNotExists: boolean;
  /** Null when the statement lets the server pick the name. */
  name: QualifiedName | null;
  table: QualifiedName;
  method: string;
  /** Key elements as written; plain column names are unquoted, expressions kept as text. */
  columns: { text: string; column: string | null }[];
  where: string | null;
}

export function unquoteIdent(raw: string): string {
  const s = raw.trim();
  return s.startsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase();
}

function parseQualified(raw: string, defaultSchema = 'public'): QualifiedName {
  const parts = raw.match(new RegExp(IDENT, 'g')) ?? [];
  return parts.length > 1 ? { schema: unquoteIdent(parts[0]!), name: unquoteIdent(parts[1]!) } : { schema: defaultSchema, name: unquoteIdent(parts[0] ?? '') };
}

/** Splits on commas outside parentheses and quotes. */
export function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/** Finds the `)` closing the `(` at `open`. */
function closingParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < s.length; i++) {
    const ch = s[i]!;
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i;
  }
  return -1;
}

const CREATE_INDEX_HEAD = new RegExp(
  String.raw`^CREATE\s+(UNIQUE\s+)?INDEX\s+(CONCURRENTLY\s+)?(IF\s+NOT\s+EXISTS\s+)?(?:(?!ON\b)(${QUALIFIED}))?\s*ON\s+(?:ONLY\s+)?(${QUALIFIED})\s*(?:USING\s+(\w+)\s*)?\(`,
  'i',
);

export function parseCreateIndex(sql: string): CreateIndexShape | null {
  const m = CREATE_INDEX_HEAD.exec(sql.trim());
  if (!m) return null;
  const text = sql.trim();
  const open = m[0].length - 1;
  const close = closingParen(text, open);
  if (close === -1) return null;
  const rest = text.slice(close + 1);
  const where = /\bWHERE\s+([\s\S]+)$/i.exec(rest)?.[1]?.trim() ?? null;
  const table = parseQualified(m[5]!);
  // Postgres puts an index in its table's schema.
  const name = m[4] ? { schema: table.schema, name: parseQualified(m[4], table.schema).name } : null;
  const columns = splitTopLevel(text.slice(open + 1, close)).map((el) => {
    const plain = new RegExp(String.raw`^(${IDENT})(?:\s+(?:ASC|DESC|NULLS\s+(?:FIRST|LAST)|COLLATE\s+\S+|[A-Za-z_][\w.]*_ops))*$`, 'i').exec(el);
    return { text: el, column: plain ? unquoteIdent(plain[1]!) : null };
  });
  return { unique: !!m[1], concurrently: !!m[2], ifNotExists: !!m[3], name, table, method: (m[6] ?? 'btree').toLowerCase(), columns, where };
}

const ALTER_TABLE_HEAD = new RegExp(String.raw`^ALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(${QUALIFIED})`, 'i');

/** The table an ALTER TABLE statement targets, or null. */
export function alterTableTarget(sql: string): QualifiedName | null {
  const m = ALTER_TABLE_HEAD.exec(sql.trim());
  return m ? parseQualified(m[1]!) : null;
}

/** The actions of an ALTER TABLE statement (what follows the table name). */
export function alterTableActions(sql: string): string {
  const m = ALTER_TABLE_HEAD.exec(sql.trim());
  return m ? sql.trim().slice(m[0].length) : '';
}

/** Tables a statement creates (CREATE TABLE), so later statements in the file treat them as new. */
export function createdTable(sql: string): QualifiedName | null {
  const m = new RegExp(String.raw`^CREATE\s+(?:(?:GLOBAL|LOCAL)\s+)?(?:TEMP(?:ORARY)?\s+|UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(${QUALIFIED})`, 'i').exec(sql.trim());
  return m ? parseQualified(m[1]!) : null;
}

export const qualifiedKey = (q: QualifiedName) => `${q.schema}.${q.name}`;
export const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
