/**
 * Splits a SQL file into statements the way psql does for the cases migrations use: `;` ends a
 * statement except inside quotes ('…', "…", E'…'), dollar quotes ($$…$$, $tag$…$tag$) and
 * comments (-- and nested block comments). Comments directly above a statement travel with it so
 * per-statement directives can be read.
 */
export interface SqlStatement {
  /** The statement without its trailing `;` or leading comments. */
  sql: string;
  /** Comment lines directly above it (the `--` removed), for per-statement directives. */
  comments: string[];
  /** 1-based line where the statement text starts. */
  line: number;
}

export class SqlSplitError extends Error {}

export function splitSql(text: string): SqlStatement[] {
  const out: SqlStatement[] = [];
  let i = 0;
  let start = 0;
  let comments: string[] = [];
  let stmtLine = 0;
  let line = 1;
  const n = text.length;
  const flush = (end: number) => {
    const sql = text.slice(start, end).trim();
    if (sql) out.push({ sql: stripLeadingComments(sql), comments, line: stmtLine });
    comments = [];
    stmtLine = 0;
  };
  // `pending` is true while only whitespace and comments have been seen since the last `;`.
  let pending = true;
  while (i < n) {
    const ch = text[i]!;
    if (ch === '\n') {
      line++;
      i++;
      continue;
    }
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      if (pending) comments.push(text.slice(i + 2, stop).trim());
      i = stop;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        if (text[j] === '/' && text[j + 1] === '*') {
          depth++;
          j += 2;
        } else if (text[j] === '*' && text[j + 1] === '/') {
          depth--;
          j += 2;
        } else {
          if (text[j] === '\n') line++;
          j++;
        }
      }
      if (depth > 0) throw new SqlSplitError(`unterminated /* comment starting on line ${line}`);
      i = j;
      continue;
    }
    if (pending) {
      pending = false;
      start = i;
      stmtLine = line;
    }
    if (ch === ';') {
      flush(i);
      pending = true;
      start = i + 1;
      i++;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const startLine = line;
      let j = i + 1;
      const escapes = ch === "'" && (text[i - 1] === 'E' || text[i - 1] === 'e');
      for (;;) {
        if (j >= n) throw new SqlSplitError(`unterminated ${ch === "'" ? 'string' : 'quoted identifier'} starting on line ${startLine}`);
        const c = text[j]!;
        if (c === '\n') line++;
        if (escapes && c === '\\') j += 2;
        else if (c === ch && text[j + 1] === ch) j += 2;
        else if (c === ch) break;
        else j++;
      }
      i = j + 1;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 64));
      if (tag && !/[A-Za-z0-9_]/.test(text[i - 1] ?? '')) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        if (close === -1) throw new SqlSplitError(`unterminated dollar-quoted string ${tag[0]} starting on line ${line}`);
        line += countLines(text.slice(i, close));
        i = close + tag[0].length;
        continue;
      }
    }
    i++;
  }
  if (!pending) flush(n);
  return out;
}

function countLines(s: string): number {
  let c = 0;
  for (const ch of s) if (ch === '\n') c++;
  return c;
}

function stripLeadingComments(sql: string): string {
  return sql.replace(/^(\s*--[^\n]*\n)+/, '').trim();
}
