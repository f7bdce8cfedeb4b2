/**
 * Reads `migrations/NNNN_name.sql` files: version, name, sha256 of the exact bytes, statements,
 * and the `-- preflight:` directives (docs/migrations.md).
 */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { splitSql, SqlSplitError, type SqlStatement } from './split-sql';
import { InputError } from '../util/errors';
import { FileRefusedError, MAX_MIGRATION_BYTES, readRegularFile } from '../util/read-file';
import { parseDurationMs } from '../util/duration';

export interface FileDirectives {
  /** Run each statement on its own, outside a transaction (required for CONCURRENTLY). */
  noTransaction: boolean;
  /** Skip a CREATE INDEX whose table or key column does not exist, with that reason. */
  skipIfMissing: boolean;
  lockTimeoutMs: number | null;
  statementTimeoutMs: number | null;
}

export interface StatementDirectives {
  /** `-- preflight:requires table.column, …`: skip unless each exists. */
  requires: { table: string; column: string | null }[];
  /** `-- preflight:skip-if-equivalent`: skip a CREATE INDEX when the same definition exists under any name. */
  skipIfEquivalent: boolean;
}

export interface MigrationStatement extends SqlStatement {
  index: number;
  directives: StatementDirectives;
}

export interface MigrationFile {
  version: string;
  name: string;
  fileName: string;
  path: string;
  sha256: string;
  directives: FileDirectives;
  statements: MigrationStatement[];
}

export class MigrationFileError extends InputError {
  override readonly code = 'bad_migration_file';
}

const FILE_NAME = /^(\d+)_([A-Za-z0-9_.-]+)\.sql$/;
const HEADER_KEYS = new Set(['no-transaction', 'skip-if-missing', 'lock-timeout', 'statement-timeout']);
const STATEMENT_KEYS = new Set(['requires', 'skip-if-equivalent']);

function directiveOf(comment: string): { key: string; arg: string } | null {
  const m = /^preflight:([a-z-]+)\s*(.*)$/.exec(comment.trim());
  return m ? { key: m[1]!, arg: m[2]!.trim() } : null;
}

export function parseMigrationText(text: string, fileName: string): Omit<MigrationFile, 'path'> {
  const m = FILE_NAME.exec(fileName);
  if (!m) throw new MigrationFileError(`${fileName}: migration files are named NNNN_name.sql (digits, underscore, name).`);
  const where = (line: number) => `${fileName}:${line}`;
  const directives: FileDirectives = { noTransaction: false, skipIfMissing: false, lockTimeoutMs: null, statementTimeoutMs: null };
  text.split('\n').forEach((raw, i) => {
    const c = /^\s*--\s*(preflight:.*)$/.exec(raw);
    const d = c ? directiveOf(c[1]!) : null;
    if (!d) return;
    if (!HEADER_KEYS.has(d.key) && !STATEMENT_KEYS.has(d.key)) throw new MigrationFileError(`${where(i + 1)}: unknown directive "preflight:${d.key}" (known: ${[...HEADER_KEYS, ...STATEMENT_KEYS].join(', ')}).`);
    if (d.key === 'no-transaction') directives.noTransaction = true;
    if (d.key === 'skip-if-missing') directives.skipIfMissing = true;
    if (d.key === 'lock-timeout' || d.key === 'statement-timeout') {
      const ms = parseDurationMs(d.arg);
      if (ms === null || ms <= 0) throw new MigrationFileError(`${where(i + 1)}: preflight:${d.key} needs a duration such as 5s, 500ms, 30min or 1h, got "${d.arg}".`);
      if (d.key === 'lock-timeout') directives.lockTimeoutMs = ms;
      else directives.statementTimeoutMs = ms;
    }
  });
  let statements: SqlStatement[];
  try {
    statements = splitSql(text);
  } catch (err) {
    if (err instanceof SqlSplitError) throw new MigrationFileError(`${fileName}: ${err.message}`);
    throw err;
  }
  return {
    version: m[1]!,
    name: m[2]!,
    fileName,
    sha256: createHash('sha256').update(text).digest('hex'),
    directives,
    statements: statements.map((s, index) => ({ ...s, index, directives: statementDirectives(s, fileName) })),
  };
}

function statementDirectives(s: SqlStatement, fileName: string): StatementDirectives {
  const out: StatementDirectives = { requires: [], skipIfEquivalent: false };
  for (const c of s.comments) {
    const d = directiveOf(c);
    if (!d || !STATEMENT_KEYS.has(d.key)) continue;
    if (d.key === 'skip-if-equivalent') out.skipIfEquivalent = true;
    if (d.key === 'requires') {
      for (const item of d.arg.split(',').map((x) => x.trim()).filter(Boolean)) {
        const parts = item.split('.');
        // schema.table.column, table.column, or a bare table
        if (parts.length > 3 || parts.some((p) => !p)) throw new MigrationFileError(`${fileName}:${s.line}: preflight:requires takes table or table.column items, got "${item}".`);
        const column = parts.length >= 2 ? parts[parts.length - 1]! : null;
        const table = parts.length === 3 ? `${parts[0]}.${parts[1]}` : parts[0]!;
        out.requires.push({ table, column: parts.length === 1 ? null : column });
      }
    }
  }
  return out;
}

/** Only regular files are read: a FIFO named NNNN_x.sql would block forever, a folder so named would fail with EISDIR. */
function readMigrationFile(path: string): string {
  try {
    return readRegularFile(path, MAX_MIGRATION_BYTES);
  } catch (err) {
    if (err instanceof FileRefusedError) throw new MigrationFileError(`Migration ${err.message}. Remove it or replace it with a plain .sql file.`);
    throw err;
  }
}

/** Loads every migration file in `dir`, ordered by version; duplicate versions are an error. */
export function loadMigrations(dir: string): MigrationFile[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new Error('not a directory');
    names = readdirSync(dir).filter((f) => f.endsWith('.sql'));
  } catch (err) {
    throw new MigrationFileError(`Cannot read migrations directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const files = names.map((f) => ({ ...parseMigrationText(readMigrationFile(join(dir, f)), f), path: join(dir, f) }));
  files.sort((a, b) => Number(a.version) - Number(b.version) || a.version.localeCompare(b.version));
  for (let i = 1; i < files.length; i++) {
    if (Number(files[i]!.version) === Number(files[i - 1]!.version)) throw new MigrationFileError(`Two migrations share version ${files[i]!.version}: ${files[i - 1]!.fileName} and ${files[i]!.fileName}.`);
  }
  return files;
}
