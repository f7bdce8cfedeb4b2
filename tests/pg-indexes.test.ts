import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateIndexes, indexCheck } from '../electron/core/checks/indexes';
import { parseIndexExpectations } from '../electron/core/probes/postgres/expectations';
import { ProbeClient } from '../electron/core/probes/postgres';
import { readIndexCatalog } from '../electron/core/probes/postgres/indexes';
import { createStartInsightSchema } from '../demo/startinsight-schema';
import type { IndexReport } from '../shared/schemas/indexes';
import { runCli, PROJECT_ROOT } from './harness/cli';
import { freshDatabase, waitFor } from './harness';

let url: string;
let admin: pg.Client;
const expectFile = join(PROJECT_ROOT, 'profiles', 'startinsight-indexes.yaml');

beforeAll(async () => {
  ({ url } = await freshDatabase('pgidx'));
  await createStartInsightSchema(url, { interactions: 5_000 });
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
});
afterAll(async () => {
  await admin?.end();
});

async function report(expectations = parseIndexExpectations(`- { table: x, columns: [y] }`)): Promise<IndexReport> {
  const probe = new ProbeClient(url);
  try {
    return evaluateIndexes(await readIndexCatalog(probe), expectations, { minSeqRowsRead: 10_000, minLiveRows: 1_000, maxIndexScanShare: 0.5 });
  } finally {
    await probe.close();
  }
}

describe('pg indexes: expected indexes by definition', () => {
  it('reports present, present_other_name, not_applicable and missing, and a unique constraint satisfies a unique expectation', async () => {
    await admin.query('CREATE INDEX idx_users_subscription_tier ON users (subscription_tier)');
    await admin.query('CREATE INDEX some_other_name ON insight_interactions (insight_id)');
    await admin.query('CREATE INDEX idx_insights_created_at ON insights (created_at)');
    await admin.query('DROP INDEX idx_insights_created_at');
    const result = await runCli(['pg', 'indexes', '--url', url, '--expect', expectFile, '--json']);
    expect(result.code).toBe(1); // most are missing
    const doc = JSON.parse(result.stdout) as IndexReport;
    const byName = new Map(doc.indexes.map((v) => [v.name, v]));
    expect(doc.indexes).toHaveLength(13);
    for (const v of doc.indexes) for (const key of ['name', 'table', 'columns', 'unique', 'status', 'foundAs', 'reason']) expect(v).toHaveProperty(key);
    expect(byName.get('idx_users_subscription_tier')).toMatchObject({ status: 'present', reason: null });
    expect(byName.get('idx_interactions_insight_id')).toMatchObject({ status: 'present_other_name', foundAs: 'some_other_name' });
    expect(byName.get('idx_interactions_insight_id')!.reason).toContain('some_other_name');
    expect(byName.get('idx_users_email')).toMatchObject({ status: 'present_other_name', unique: true });
    expect(byName.get('idx_users_email')!.foundAs).toContain('users_email_key');
    expect(byName.get('idx_insights_source')).toMatchObject({ status: 'not_applicable', optional: true, reason: 'column insights.source does not exist (optional: the real migration skips it because insights.source does not exist)' });
    expect(byName.get('idx_insights_created_at')).toMatchObject({ status: 'missing' });
    expect(byName.get('idx_insights_created_at')!.reason).toContain('insights(created_at)');
    expect(doc).toHaveProperty('invalid');
    expect(doc).toHaveProperty('seqScanSuspects');
  });

  it('--expect <profile> reports the optional idx_insights_source as not_applicable with the reason, like the bare list', async () => {
    const result = await runCli(['pg', 'indexes', '--url', url, '--expect', join(PROJECT_ROOT, 'profiles', 'startinsight.yaml'), '--json']);
    const doc = JSON.parse(result.stdout) as IndexReport;
    expect(doc.indexes).toHaveLength(13);
    expect(doc.indexes.find((v) => v.name === 'idx_insights_source')).toMatchObject({
      status: 'not_applicable',
      optional: true,
      reason: 'column insights.source does not exist (optional: listed in the write-up; the real migration skips it because insights.source does not exist)',
    });
    const human = await runCli(['pg', 'indexes', '--url', url, '--expect', join(PROJECT_ROOT, 'profiles', 'startinsight.yaml')]);
    expect(human.stdout).toMatch(/idx_insights_source .*not_applicable .*column insights\.source does not exist \(optional/);
  });

  it('an optional expectation whose columns exist but has no index is not_applicable, not missing, and never fails the check', async () => {
    const list = `- { name: opt_title, table: insights, columns: [title], optional: true, note: nice to have }`;
    const r = await report(parseIndexExpectations(list));
    expect(r.indexes[0]).toMatchObject({ status: 'not_applicable', optional: true });
    expect(r.indexes[0]!.reason).toBe('no btree index or constraint on insights(title) (optional: nice to have)');
    expect(indexCheck(r).status).not.toBe('fail');
    // The same entry without `optional` is missing and fails.
    const required = await report(parseIndexExpectations(list.replace(', optional: true', '')));
    expect(required.indexes[0]).toMatchObject({ status: 'missing', optional: false });
    expect(indexCheck(required).status).toBe('fail');
  });

  it('a non-unique index does not satisfy a unique expectation, and a missing table is not_applicable', async () => {
    await admin.query('CREATE INDEX users_deleted_at_plain ON users (deleted_at)');
    const r = await report(parseIndexExpectations(`
- { name: u_deleted, table: users, columns: [deleted_at], unique: true }
- { name: nope, table: public.no_such_table, columns: [id] }
- { name: partial, table: users, columns: [deleted_at], where: "deleted_at IS NOT NULL" }`));
    expect(r.indexes.map((v) => v.status)).toEqual(['missing', 'not_applicable', 'missing']);
    expect(r.indexes[1]!.reason).toBe('table public.no_such_table does not exist');
    await admin.query('CREATE INDEX users_deleted_partial ON users (deleted_at) WHERE deleted_at IS NOT NULL');
    const again = await report(parseIndexExpectations(`- { name: partial, table: users, columns: [deleted_at], where: "deleted_at IS NOT NULL" }`));
    expect(again.indexes[0]).toMatchObject({ status: 'present_other_name', foundAs: 'users_deleted_partial' });
  });

  it('an index left INVALID by a failed unique concurrent build is reported, expected or not', async () => {
    await admin.query(`INSERT INTO research_requests (user_id, status) VALUES (42, 'dup'), (42, 'dup')`);
    await expect(admin.query('CREATE UNIQUE INDEX CONCURRENTLY rr_unique ON research_requests (user_id, status)')).rejects.toThrow(/could not create unique index/);
    const r = await report(parseIndexExpectations(`- { name: rr_unique, table: research_requests, columns: [user_id, status], unique: true }`));
    expect(r.indexes[0]).toMatchObject({ status: 'invalid', foundAs: 'rr_unique' });
    expect(r.indexes[0]!.reason).toMatch(/INVALID/);
    expect(r.invalid.map((i) => i.name)).toEqual(['rr_unique']);
    expect(r.invalid[0]!.fix).toContain('DROP INDEX CONCURRENTLY');
    expect(indexCheck(r).status).toBe('fail');
    // Not expected at all: still listed, and the check warns.
    const other = await report(parseIndexExpectations(`- { table: users, columns: [email], unique: true }`));
    expect(other.invalid.map((i) => i.name)).toEqual(['rr_unique']);
    expect(indexCheck(other).status).toBe('warn');
    await admin.query('DROP INDEX CONCURRENTLY rr_unique');
  });

  it('an index still being built concurrently is not_ready, and not listed as INVALID', async () => {
    const holder = new pg.Client({ connectionString: url, application_name: 'old-snapshot' });
    const builder = new pg.Client({ connectionString: url, application_name: 'builder' });
    await holder.connect();
    await builder.connect();
    try {
      await holder.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await holder.query('SELECT count(*) FROM insights');
      const building = builder.query('CREATE INDEX CONCURRENTLY building_idx ON saved_insights (status)');
      await waitFor(async () => (await admin.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'builder' AND wait_event_type = 'Lock'`)).rowCount, { what: 'the build to wait' });
      const r = await report(parseIndexExpectations(`- { name: building_idx, table: saved_insights, columns: [status] }`));
      expect(r.indexes[0]).toMatchObject({ status: 'not_ready', foundAs: 'building_idx' });
      expect(r.indexes[0]!.reason).toMatch(/being built right now/);
      expect(r.invalid.map((i) => i.name)).not.toContain('building_idx');
      await holder.query('COMMIT');
      await building;
      const done = await report(parseIndexExpectations(`- { name: building_idx, table: saved_insights, columns: [status] }`));
      expect(done.indexes[0]!.status).toBe('present');
    } finally {
      await holder.end();
      await builder.end();
    }
  });

  it('notes an unused index with the stats reset time, and a duplicate by leading columns', async () => {
    await admin.query('CREATE INDEX cust_user ON custom_analyses (user_id)');
    await admin.query('CREATE INDEX cust_user_status ON custom_analyses (user_id, status)');
    const r = await report(parseIndexExpectations(`- { name: cust_user, table: custom_analyses, columns: [user_id] }`));
    const kinds = r.indexes[0]!.notes.map((n) => n.kind).sort();
    expect(kinds).toEqual(['duplicate', 'unused']);
    expect(r.indexes[0]!.notes.find((n) => n.kind === 'duplicate')!.message).toContain('cust_user_status');
    expect(r.indexes[0]!.notes.find((n) => n.kind === 'unused')!.message).toMatch(/since the statistics (reset at|were created)/);
  });

  it('lists a table read by big sequential scans with rare index scans as a suspect', async () => {
    for (let i = 0; i < 4; i++) await admin.query(`SELECT count(*) FROM insight_interactions WHERE interaction_type = 'share'`);
    await waitForStats('insight_interactions', 4);
    const r = await report();
    const suspect = r.seqScanSuspects.find((s) => s.table === 'insight_interactions');
    expect(suspect).toBeDefined();
    expect(suspect!.seqRowsRead).toBeGreaterThanOrEqual(20_000);
    expect(suspect!.seqScans).toBeGreaterThanOrEqual(4);
    expect(suspect!.rowsPerSeqScan).toBe(Math.round(suspect!.seqRowsRead / suspect!.seqScans));
    expect(suspect!.indexScanShare).toBeLessThan(0.5);
    // research_requests has 250 rows: below minLiveRows, never a suspect however often it is scanned.
    for (let i = 0; i < 3; i++) await admin.query('SELECT count(*) FROM research_requests');
    expect(r.seqScanSuspects.some((s) => s.table === 'research_requests')).toBe(false);
  });

  it('a bad expectation file is a usage error naming the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exp-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, '- { table: users, columns: email }\n');
    const result = await runCli(['pg', 'indexes', '--url', url, '--expect', bad, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.yaml');
    expect(result.stderr).toContain('0.columns');
    // --json: every outcome is one JSON document; a failure is an error document (issue 11).
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    // The profile shape is accepted too.
    const profile = join(dir, 'profile.yaml');
    writeFileSync(profile, 'name: demo\nexpectations:\n  indexes:\n    - { table: users, columns: [email], unique: true }\n');
    const ok = await runCli(['pg', 'indexes', '--url', url, '--expect', profile, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).indexes[0].status).toBe('present');
  });
});

async function waitForStats(table: string, minScans: number): Promise<void> {
  // The stats collector flushes a backend's counters at most once a second.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const r = await admin.query<{ n: string }>('SELECT seq_scan AS n FROM pg_stat_user_tables WHERE relname = $1', [table]);
    if (Number(r.rows[0]?.n ?? 0) >= minScans) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`stats for ${table} never showed ${minScans} sequential scans`);
}
