/**
 * `migrate verify`: every applied file is unchanged, nothing is pending, and every index an
 * applied file created (and did not skip) exists and is valid.
 */
import type { VerifyResult } from '../../../shared/schemas/migrations';
import type { MigrationFile } from './migration-files';
import { parseCreateIndex } from './sql-shapes';
import { appliedVersions, checksumMismatches, pendingFiles } from './status';
import { readHistory, readIndexStates, type Queryable } from './target-facts';

export async function verifyMigrations(db: Queryable, files: MigrationFile[]): Promise<VerifyResult> {
  const database = (await db.query<{ d: string }>('SELECT current_database() AS d')).rows[0]?.d ?? '';
  const history = await readHistory(db);
  const problems: VerifyResult['problems'] = [];
  for (const m of checksumMismatches(files, history)) {
    problems.push({ version: m.version, kind: m.kind === 'edited' ? 'checksum_mismatch' : 'different_migration', message: m.message });
  }
  for (const f of pendingFiles(files, history)) {
    const last = history.filter((h) => h.version === f.version).at(-1);
    problems.push(last?.outcome === 'failed'
      ? { version: f.version, kind: 'last_run_failed', message: `${f.fileName} failed on its last run (${last.appliedAt}): ${String(last.details?.error ?? 'see history')}` }
      : { version: f.version, kind: 'pending', message: `${f.fileName} is not applied` });
  }
  const indexes = await readIndexStates(db);
  const applied = appliedVersions(history);
  let checked = 0;
  for (const f of files) {
    const row = applied.get(f.version);
    if (!row || row.sha256 !== f.sha256) continue;
    const skipped = new Set(((row.details?.skipped ?? []) as { index: number }[]).map((s) => s.index));
    for (const s of f.statements) {
      const ix = parseCreateIndex(s.sql);
      if (!ix?.name || skipped.has(s.index)) continue;
      checked++;
      const found = indexes.find((i) => i.schema === ix.name!.schema && i.name === ix.name!.name);
      if (!found) problems.push({ version: f.version, kind: 'index_missing', message: `${ix.name.name} (${f.fileName}:${s.line}) does not exist although the migration is recorded as applied` });
      else if (!found.valid || !found.ready) problems.push({ version: f.version, kind: 'index_invalid', message: `${ix.name.name} is INVALID; drop it with DROP INDEX CONCURRENTLY and re-run the migration` });
    }
  }
  return { database, ok: problems.length === 0, checkedIndexes: checked, problems };
}
