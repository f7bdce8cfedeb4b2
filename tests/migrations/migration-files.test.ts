import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations, parseMigrationText } from '../../electron/core/migrations/migration-files';
import { splitSql } from '../../electron/core/migrations/split-sql';
import { parseCreateIndex } from '../../electron/core/migrations/sql-shapes';
import { PROJECT_ROOT } from '../harness/cli';

describe('splitSql', () => {
  it('splits on semicolons outside quotes, dollar quotes and comments', () => {
    const sql = `SELECT 'a;b'; -- c;d
SELECT "x;y" FROM t; /* e; /* nested; */ f; */ SELECT 1;
CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; SELECT 2; $body$;
SELECT E'it\\'s; fine'; SELECT $$;$$`;
    expect(splitSql(sql).map((s) => s.sql)).toEqual([`SELECT 'a;b'`, `SELECT "x;y" FROM t`, 'SELECT 1', 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; SELECT 2; $body$', `SELECT E'it\\'s; fine'`, 'SELECT $$;$$']);
  });

  it('keeps the comments above a statement and its starting line', () => {
    const [a, b] = splitSql('-- one\nSELECT 1;\n\n-- two\n-- three\nSELECT\n 2;');
    expect(a).toMatchObject({ comments: ['one'], line: 2 });
    expect(b).toMatchObject({ comments: ['two', 'three'], line: 6, sql: 'SELECT\n 2' });
  });

  it('names the line of an unterminated string', () => {
    expect(() => splitSql("SELECT 1;\nSELECT 'open")).toThrow(/unterminated string starting on line 2/);
  });
});

describe('migration files and directives', () => {
  it('reads header and per-statement directives', () => {
    const f = parseMigrationText(
      '-- preflight:no-transaction\n-- preflight:skip-if-missing\n-- preflight:lock-timeout 2s\n-- preflight:statement-timeout 10min\n-- preflight:requires insights.source, users\nCREATE INDEX CONCURRENTLY i ON insights (source);\n-- preflight:skip-if-equivalent\nCREATE UNIQUE INDEX CONCURRENTLY u ON users (email);',
      '0007_things.sql',
    );
    expect(f.version).toBe('0007');
    expect(f.name).toBe('things');
    expect(f.directives).toEqual({ noTransaction: true, skipIfMissing: true, lockTimeoutMs: 2000, statementTimeoutMs: 600_000 });
    expect(f.statements[0]!.directives.requires).toEqual([{ table: 'insights', column: 'source' }, { table: 'users', column: null }]);
    expect(f.statements[1]!.directives.skipIfEquivalent).toBe(true);
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects unknown directives, bad durations and bad file names with file and line', () => {
    expect(() => parseMigrationText('SELECT 1;\n-- preflight:no-transactoin\n', '0001_a.sql')).toThrow(/0001_a\.sql:2: unknown directive "preflight:no-transactoin"/);
    expect(() => parseMigrationText('-- preflight:lock-timeout soon\n', '0001_a.sql')).toThrow(/0001_a\.sql:1: .*duration/);
    expect(() => parseMigrationText('SELECT 1;', 'add_index.sql')).toThrow(/NNNN_name\.sql/);
  });

  it('loads a directory in version order and refuses duplicate versions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mig-'));
    writeFileSync(join(dir, '0010_b.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '0002_a.sql'), 'SELECT 1;');
    expect(loadMigrations(dir).map((f) => f.fileName)).toEqual(['0002_a.sql', '0010_b.sql']);
    writeFileSync(join(dir, '0002_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/share version/);
    expect(() => loadMigrations(join(dir, 'nope'))).toThrow(/Cannot read migrations directory .*ENOENT/);
  });

  it('the shipped 0001 builds every TARGET.md index concurrently, outside a transaction', () => {
    const [file] = loadMigrations(join(PROJECT_ROOT, 'migrations'));
    expect(file!.directives.noTransaction).toBe(true);
    expect(file!.directives.skipIfMissing).toBe(true);
    const shapes = file!.statements.map((s) => parseCreateIndex(s.sql)!);
    expect(shapes).toHaveLength(13);
    expect(shapes.every((s) => s.concurrently && s.ifNotExists)).toBe(true);
    expect(shapes.map((s) => s.name!.name)).toContain('idx_insights_source');
  });

  it('parseCreateIndex reads names, tables, columns, method and predicate', () => {
    expect(parseCreateIndex('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS "Idx" ON app.users USING btree (lower(email), "Tier" DESC) WHERE deleted_at IS NULL')).toEqual({
      unique: true,
      concurrently: true,
      ifNotExists: true,
      name: { schema: 'app', name: 'Idx' },
      table: { schema: 'app', name: 'users' },
      method: 'btree',
      columns: [
        { text: 'lower(email)', column: null },
        { text: '"Tier" DESC', column: 'Tier' },
      ],
      where: 'deleted_at IS NULL',
    });
    expect(parseCreateIndex('CREATE INDEX ON users (email)')?.name).toBeNull();
    expect(parseCreateIndex('ALTER TABLE users ADD COLUMN x int')).toBeNull();
  });
});
