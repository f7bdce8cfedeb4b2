/**
 * Query text from other sessions, normalised the way pg_stat_statements shows it: every string
 * literal ('…' with doubled quotes, E'…' with backslash escapes, B'…', X'…', U&'…', dollar
 * quotes $$…$$ and $tag$…$tag$) and every numeric literal becomes a placeholder `$n`, numbered
 * after the highest parameter the text already uses; comments (`--` and nested block comments)
 * are dropped. Keyword-based masking cannot win against secrets in literals — a literal is data,
 * so none is shown.
 *
 * One forward pass of a small tokenizer (each character read once; a dollar quote's end found
 * with indexOf from where the scan stands), so its cost is linear in the text. Text cut off by
 * pg_stat_activity's length limit is fine: an unterminated literal or comment runs to the end
 * and is replaced or dropped whole.
 *
 * Values of SET statements (`SET app.token = abc`, `SET … TO abc`) are replaced too, quoted or
 * not: a bare word there is a value, not a name.
 */

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isIdentStart = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c >= 0x80;
const isIdentChar = (c: number) => isIdentStart(c) || isDigit(c) || c === 0x24; /* $ */
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c;

/** A placeholder slot in the output; numbered once the highest existing `$n` is known. */
const SLOT = Symbol('literal');
type Piece = string | typeof SLOT;

export function normalizeSql(text: string): string {
  // Output: runs of the input kept as they are (sliced once), and replacements between them.
  const pieces: Piece[] = [];
  let copied = 0;
  /** Replaces text[from, to) with a placeholder, a space or newline, or nothing (null). */
  const replace = (from: number, to: number, piece: Piece | null) => {
    if (from > copied) pieces.push(text.slice(copied, from));
    if (piece !== null) pieces.push(piece);
    copied = to;
  };
  /** The last character of the output so far ('' at the start). */
  const lastOut = (at: number): string => {
    if (at > copied) return text[at - 1]!;
    const last = pieces[pieces.length - 1];
    return last === undefined ? '' : last === SLOT ? '$' : last.slice(-1);
  };
  const n = text.length;
  let maxParam = 0;
  let i = 0;
  // SET-statement state: after `SET` (statement start, or inside ALTER … SET), words after `=`/`TO` are values.
  let statementStart = true;
  let firstWord = '';
  let inSet = false;
  let afterSetOperator = false;
  const separated = (at: number) => {
    const last = lastOut(at);
    return last === '' || last === ' ' || last === '\n';
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    // Comments are dropped; a space keeps the tokens around them apart.
    if (c === 0x2d && next === 0x2d) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      replace(i, stop, separated(i) ? null : ' ');
      i = stop;
      continue;
    }
    if (c === 0x2f && next === 0x2a) {
      let depth = 1;
      let j = i + 2;
      while (j < n && depth > 0) {
        const a = text.charCodeAt(j);
        const b = text.charCodeAt(j + 1);
        if (a === 0x2f && b === 0x2a) {
          depth++;
          j += 2;
        } else if (a === 0x2a && b === 0x2f) {
          depth--;
          j += 2;
        } else j++;
      }
      replace(i, Math.min(j, n), separated(i) ? null : ' ');
      i = Math.min(j, n);
      continue;
    }
    if (isSpace(c)) {
      // A run of whitespace becomes one space, or one newline if it held one; a single space stays as it is.
      let j = i;
      let newline = false;
      while (j < n && isSpace(text.charCodeAt(j))) {
        if (text.charCodeAt(j) === 0x0a) newline = true;
        j++;
      }
      if (!(j === i + 1 && c === 0x20 && !separated(i))) {
        // After a dropped comment (a pushed space), a newline in the run takes its place.
        if (newline && i === copied && pieces[pieces.length - 1] === ' ') pieces[pieces.length - 1] = '\n';
        replace(i, j, separated(i) ? null : newline ? '\n' : ' ');
      }
      i = j;
      continue;
    }
    // String literals: '…', E'…', B'…', X'…', N'…', U&'…'.
    const prefixed = prefixedQuote(text, i);
    if (c === 0x27 || prefixed > 0) {
      const open = i + prefixed;
      const escapes = prefixed === 1 && (c === 0x45 || c === 0x65); // E'…'
      const end = endOfQuoted(text, open, escapes);
      replace(i, end, SLOT);
      i = end;
      afterLiteral();
      continue;
    }
    if (c === 0x22) {
      // A quoted identifier is a name, not data: kept.
      const end = endOfQuotedIdentifier(text, i);
      if (afterSetOperator) replace(i, end, SLOT);
      i = end;
      noteWord('"');
      continue;
    }
    if (c === 0x24 /* $ */) {
      if (isDigit(next)) {
        // A parameter $n: kept, and numbering of our placeholders starts after the highest.
        let j = i + 1;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
        maxParam = Math.max(maxParam, Number(text.slice(i + 1, Math.min(j, i + 10))));
        i = j;
        noteWord('$');
        continue;
      }
      const tagEnd = dollarTagEnd(text, i);
      if (tagEnd !== -1) {
        const tag = text.slice(i, tagEnd);
        const close = text.indexOf(tag, tagEnd);
        const end = close === -1 ? n : close + tag.length;
        replace(i, end, SLOT);
        i = end;
        afterLiteral();
        continue;
      }
    }
    if (isDigit(c) || (c === 0x2e && isDigit(next))) {
      const end = endOfNumber(text, i);
      replace(i, end, SLOT);
      i = end;
      afterLiteral();
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      const upper = j - i <= 8 ? text.slice(i, j).toUpperCase() : '';
      if (afterSetOperator && upper !== 'DEFAULT' && upper !== 'LOCAL') replace(i, j, SLOT);
      else noteWord(upper);
      i = j;
      continue;
    }
    if (c === 0x3b /* ; */) {
      statementStart = true;
      firstWord = '';
      inSet = false;
      afterSetOperator = false;
      i++;
      continue;
    }
    if (inSet && (c === 0x3d /* = */ || (c === 0x3a && next === 0x3d))) afterSetOperator = true;
    i++;
  }
  replace(n, n, null);

  let counter = maxParam;
  let out = '';
  for (const p of pieces) out += p === SLOT ? `$${++counter}` : p;
  return out.trim();

  function noteWord(upper: string): void {
    if (statementStart) {
      firstWord = upper;
      statementStart = false;
      if (upper === 'SET' || upper === 'RESET') inSet = true;
    } else if (upper === 'SET' && firstWord === 'ALTER') inSet = true; // ALTER ROLE/DATABASE/SYSTEM … SET x = v (UPDATE's SET assigns expressions)
    if (inSet && upper === 'TO') afterSetOperator = true;
  }
  function afterLiteral(): void {
    statementStart = false;
  }
}

/** Length of a literal prefix before its quote: 1 for E' B' X' N', 2 for U&'; 0 when none. */
function prefixedQuote(text: string, i: number): number {
  if (i > 0 && isIdentChar(text.charCodeAt(i - 1))) return 0;
  const c = text.charCodeAt(i) | 0x20;
  if ((c === 0x65 || c === 0x62 || c === 0x78 || c === 0x6e) && text.charCodeAt(i + 1) === 0x27) return 1;
  if (c === 0x75 && text.charCodeAt(i + 1) === 0x26 && text.charCodeAt(i + 2) === 0x27) return 2;
  return 0;
}

/** Index after the literal opening at `open` ('…' with '' doubling; backslash escapes in E'…'), or the end. */
function endOfQuoted(text: string, open: number, escapes: boolean): number {
  let j = open + 1;
  const n = text.length;
  while (j < n) {
    const c = text.charCodeAt(j);
    if (escapes && c === 0x5c) j += 2;
    else if (c === 0x27 && text.charCodeAt(j + 1) === 0x27) j += 2;
    else if (c === 0x27) return j + 1;
    else j++;
  }
  return n;
}

function endOfQuotedIdentifier(text: string, open: number): number {
  let j = open + 1;
  const n = text.length;
  while (j < n) {
    if (text.charCodeAt(j) === 0x22) {
      if (text.charCodeAt(j + 1) === 0x22) j += 2;
      else return j + 1;
    } else j++;
  }
  return n;
}

/** `$tag$` or `$$` starting at i (not part of an identifier such as `a$b$`): index after it, or -1. */
function dollarTagEnd(text: string, i: number): number {
  if (i > 0 && isIdentChar(text.charCodeAt(i - 1))) return -1;
  let j = i + 1;
  if (text.charCodeAt(j) === 0x24) return j + 1;
  if (!isIdentStart(text.charCodeAt(j))) return -1;
  // A tag is short; a long run of letters after `$` is not one (and is not scanned twice).
  const limit = Math.min(text.length, i + 64);
  while (j < limit && (isIdentStart(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)))) j++;
  return text.charCodeAt(j) === 0x24 ? j + 1 : -1;
}

/** 42, 4.2, .42, 4.2e-3, 0x1F, 0o17, 0b101, 1_000 (PostgreSQL 16). */
function endOfNumber(text: string, i: number): number {
  const n = text.length;
  let j = i;
  if (text.charCodeAt(j) === 0x30 && /[xXoObB]/.test(text[j + 1] ?? '')) {
    j += 2;
    while (j < n && /[0-9A-Fa-f_]/.test(text[j]!)) j++;
    return j;
  }
  while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 0x5f)) j++;
  if (text.charCodeAt(j) === 0x2e && text.charCodeAt(j + 1) !== 0x2e) {
    j++;
    while (j < n && (isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === 0x5f)) j++;
  }
  const e = text.charCodeAt(j) | 0x20;
  if (e === 0x65) {
    let k = j + 1;
    if (text.charCodeAt(k) === 0x2b || text.charCodeAt(k) === 0x2d) k++;
    if (isDigit(text.charCodeAt(k))) {
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      j = k;
    }
  }
  return j;
}
