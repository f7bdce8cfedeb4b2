import { describe, expect, it } from 'vitest';
import { parseMigrationText, type MigrationFile } from '../../electron/core/migrations/migration-files';
import { assertChecksums, ChecksumMismatchError, checksumMismatches, statusRows } from '../../electron/core/migrations/status';
import type { HistoryRow } from '../../electron/core/migrations/target-facts';

const file = (fileName: string, sql: string): MigrationFile => ({ ...parseMigrationText(sql, fileName), path: `/tmp/${fileName}` });

/** What the database recorded when it ran `f` (a real parse of the file as it was then). */
function ran(f: MigrationFile, appliedAt = '2026-11-30T10:00:00.000Z'): HistoryRow {
  return { id: 1, version: f.version, name: f.name, sha256: f.sha256, appliedAt, appliedBy: 'ops@host', durationMs: 12, outcome: 'succeeded', details: null };
}

const usersApplied = file('0001_create_users.sql', 'CREATE TABLE users (id int);');

describe('an applied version beside the folder (issue 11: "nothing was edited, they are different migrations")', () => {
  it('the same file name with other bytes was edited after it ran', () => {
    const edited = file('0001_create_users.sql', 'CREATE TABLE users (id bigint);');
    const [m] = checksumMismatches([edited], [ran(usersApplied)]);
    expect(m).toMatchObject({ kind: 'edited', fileName: '0001_create_users.sql', appliedFileName: '0001_create_users.sql', appliedSha256: usersApplied.sha256, sha256: edited.sha256 });
    expect(m!.message).toMatch(/^0001_create_users\.sql was edited after it ran/);
    expect(statusRows([edited], [ran(usersApplied)])[0]).toMatchObject({ state: 'checksum_mismatch', appliedName: 'create_users' });
    expect(() => assertChecksums([edited], [ran(usersApplied)])).toThrow(/^Applied migration was edited after it ran: 0001_create_users\.sql \(applied sha256 [0-9a-f]{12}…, file now [0-9a-f]{12}…\)/);
  });

  it('another migration under the applied version is a different migration: both are named, nothing is called edited', () => {
    const orders = file('0001_add_orders.sql', 'CREATE TABLE orders (id int);');
    const [m] = checksumMismatches([orders], [ran(usersApplied)]);
    expect(m).toMatchObject({ kind: 'different_migration', version: '0001', fileName: '0001_add_orders.sql', appliedFileName: '0001_create_users.sql', appliedAt: '2026-11-30T10:00:00.000Z' });
    expect(m!.message).toContain('the database applied 0001_create_users.sql');
    expect(m!.message).toContain(`sha256 ${usersApplied.sha256.slice(0, 12)}…, at 2026-11-30T10:00:00.000Z`);
    expect(m!.message).toContain(`the folder has 0001_add_orders.sql (sha256 ${orders.sha256.slice(0, 12)}…)`);
    expect(m!.message).not.toMatch(/edited/);
    expect(statusRows([orders], [ran(usersApplied)])[0]).toMatchObject({ state: 'different_migration', name: 'add_orders', appliedName: 'create_users', appliedSha256: usersApplied.sha256, sha256: orders.sha256 });

    let error: unknown;
    try {
      assertChecksums([orders], [ran(usersApplied)]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    const message = (error as Error).message;
    expect(message).not.toMatch(/edited/);
    expect(message).toMatch(/different migration under a version the database already applied: 0001: applied 0001_create_users\.sql \(sha256 [0-9a-f]{12}…, at 2026-11-30T10:00:00\.000Z\), in the folder 0001_add_orders\.sql/);
    expect(message).toMatch(/Nothing was run\.$/);
  });

  it('one edited and one different: each is said as what it is', () => {
    const second = file('0002_add_index.sql', 'CREATE INDEX i ON users (id);');
    const history = [ran(usersApplied), { ...ran(second), id: 2 }];
    const folder = [file('0001_create_users.sql', 'CREATE TABLE users (id bigint);'), file('0002_drop_things.sql', 'DROP TABLE things;')];
    expect(checksumMismatches(folder, history).map((m) => m.kind)).toEqual(['edited', 'different_migration']);
    expect(() => assertChecksums(folder, history)).toThrow(/edited after it ran: 0001_create_users\.sql.*different migration under a version.*0002: applied 0002_add_index\.sql/);
  });

  it('the same file as applied is no mismatch', () => {
    expect(checksumMismatches([usersApplied], [ran(usersApplied)])).toEqual([]);
    expect(statusRows([usersApplied], [ran(usersApplied)])[0]!.state).toBe('applied');
  });
});
