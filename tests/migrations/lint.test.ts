import { describe, expect, it } from 'vitest';
import { lintMigration, unacknowledged, type LintContext } from '../../electron/core/migrations/lint';
import { parseMigrationText } from '../../electron/core/migrations/migration-files';

const existing = (populated: boolean | null = true): LintContext => ({ tables: new Map([['public.users', { populated }], ['public.orders', { populated }]]) });
const lint = (sql: string, ctx = existing()) => lintMigration({ ...parseMigrationText(sql, '0002_test.sql'), path: '/x' }, ctx).map((f) => f.rule);
const TIMEOUT = '-- preflight:lock-timeout 5s\n';

describe('migration lint rules', () => {
  it('require-concurrent-index-creation: CREATE INDEX without CONCURRENTLY on an existing table', () => {
    expect(lint(`${TIMEOUT}CREATE INDEX idx_a ON users (email);`)).toEqual(['require-concurrent-index-creation']);
    expect(lint(`${TIMEOUT}-- preflight:no-transaction\nCREATE INDEX CONCURRENTLY idx_a ON users (email);`)).toEqual([]);
    // A table created earlier in the same file has no readers yet.
    expect(lint(`${TIMEOUT}CREATE TABLE fresh (id int);\nCREATE INDEX idx_f ON fresh (id);`)).toEqual([]);
  });

  it('concurrently-in-transaction: CONCURRENTLY in a file without no-transaction', () => {
    expect(lint(`${TIMEOUT}CREATE INDEX CONCURRENTLY idx_a ON users (email);`)).toEqual(['concurrently-in-transaction']);
    expect(lint(`${TIMEOUT}DROP INDEX CONCURRENTLY idx_a;`)).toEqual(['concurrently-in-transaction']);
  });

  it('require-lock-timeout: DDL in a file that sets no lock timeout', () => {
    expect(lint('ALTER TABLE users ADD COLUMN nickname text;')).toEqual(['require-lock-timeout']);
    expect(lint("SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname text;")).toEqual([]);
    expect(lint('INSERT INTO users (email) VALUES (1);')).toEqual([]);
  });

  it('adding-field-with-volatile-default: ADD COLUMN … DEFAULT volatile()', () => {
    expect(lint(`${TIMEOUT}ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();`)).toEqual(['adding-field-with-volatile-default']);
    expect(lint(`${TIMEOUT}ALTER TABLE users ADD COLUMN score float8 NOT NULL DEFAULT random();`)).toEqual(['adding-field-with-volatile-default']);
    // A constant or stable default does not rewrite the table (PostgreSQL 11+).
    expect(lint(`${TIMEOUT}ALTER TABLE users ADD COLUMN tier text DEFAULT 'free';`)).toEqual([]);
    expect(lint(`${TIMEOUT}ALTER TABLE users ADD COLUMN seen_at timestamptz DEFAULT now();`)).toEqual([]);
  });

  it('constraint-missing-not-valid: FOREIGN KEY or CHECK without NOT VALID', () => {
    expect(lint(`${TIMEOUT}ALTER TABLE orders ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users (id);`)).toEqual(['constraint-missing-not-valid']);
    expect(lint(`${TIMEOUT}ALTER TABLE orders ADD CONSTRAINT positive CHECK (amount > 0);`)).toEqual(['constraint-missing-not-valid']);
    expect(lint(`${TIMEOUT}ALTER TABLE orders ADD CONSTRAINT positive CHECK (amount > 0) NOT VALID;`)).toEqual([]);
  });

  it('changing-column-type: ALTER COLUMN TYPE on a populated table only', () => {
    expect(lint(`${TIMEOUT}ALTER TABLE users ALTER COLUMN email TYPE varchar(320);`)).toEqual(['changing-column-type']);
    expect(lint(`${TIMEOUT}ALTER TABLE users ALTER COLUMN email SET DATA TYPE citext;`)).toEqual(['changing-column-type']);
    expect(lint(`${TIMEOUT}ALTER TABLE users ALTER COLUMN email TYPE varchar(320);`, existing(false))).toEqual([]);
  });

  it('findings carry file and line, and --ack-lint filters by rule id or all', () => {
    const file = { ...parseMigrationText('-- header\n\nALTER TABLE users ALTER COLUMN email TYPE text;', '0003_x.sql'), path: '/x' };
    const findings = lintMigration(file, existing());
    expect(findings.map((f) => [f.rule, f.file, f.line])).toEqual([
      ['require-lock-timeout', '0003_x.sql', 3],
      ['changing-column-type', '0003_x.sql', 3],
    ]);
    expect(unacknowledged(findings, ['require-lock-timeout']).map((f) => f.rule)).toEqual(['changing-column-type']);
    expect(unacknowledged(findings, ['all'])).toEqual([]);
  });
});
